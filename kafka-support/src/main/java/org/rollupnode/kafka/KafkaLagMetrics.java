package org.rollupnode.kafka;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;

/**
 * Publishes every reader's lag behind the end of its partitions as
 * {@code kafka_consumer_records_lag{client_id,topic,partition}} (records not yet read, as the
 * consumer's fetcher knows it) to Micrometer's global registry, which {@code --metrics} serves.
 *
 * <p>Why a Kafka {@link MetricsReporter} rather than Micrometer's {@code KafkaClientMetrics}: that
 * binder needs each client instance, and the services create many short- and long-lived consumers;
 * a reporter named in {@link KafkaSettings#readerConfig} reaches all of them, and Kafka tells it
 * when a client's metrics go away, so a closed reader leaves no stale gauge.
 */
public final class KafkaLagMetrics implements MetricsReporter {
    static final String FETCH_GROUP = "consumer-fetch-manager-metrics";
    static final String RECORDS_LAG = "records-lag";

    private record Published(AtomicReference<KafkaMetric> current, Meter meter) {}

    private final Map<MetricName, Published> meters = new ConcurrentHashMap<>();

    @Override
    public void configure(Map<String, ?> configs) {}

    @Override
    public void init(List<KafkaMetric> metrics) {
        metrics.forEach(this::metricChange);
    }

    @Override
    public void metricChange(KafkaMetric metric) {
        MetricName n = metric.metricName();
        if (!FETCH_GROUP.equals(n.group()) || !RECORDS_LAG.equals(n.name()) || !n.tags().containsKey("partition")) {
            return;
        }
        // Kafka may hand over a new metric object for the same name: the gauge reads the latest one.
        meters.compute(n, (k, old) -> {
            if (old != null) {
                old.current().set(metric);
                return old;
            }
            AtomicReference<KafkaMetric> current = new AtomicReference<>(metric);
            Meter meter = Gauge.builder("kafka.consumer.records.lag", current, r -> value(r.get()))
                    .description("Records between this reader's position and the end of the partition")
                    .tags(Tags.of("client_id", k.tags().getOrDefault("client-id", ""),
                            "topic", k.tags().getOrDefault("topic", ""),
                            "partition", k.tags().getOrDefault("partition", "")))
                    .strongReference(true)
                    .register(Metrics.globalRegistry);
            return new Published(current, meter);
        });
    }

    @Override
    public void metricRemoval(KafkaMetric metric) {
        Published p = meters.remove(metric.metricName());
        if (p != null) {
            Metrics.globalRegistry.remove(p.meter());
        }
    }

    @Override
    public void close() {
        meters.values().forEach(p -> Metrics.globalRegistry.remove(p.meter()));
        meters.clear();
    }

    private static double value(KafkaMetric m) {
        Object v = m.metricValue();
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
