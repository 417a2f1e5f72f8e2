package org.rollupnode.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** An operator watching /metrics sees how far each reader is behind its topic, and sees it reach 0. */
class KafkaLagMetricsTest {

    private static Gauge lagGauge(String clientId, String topic) {
        return Metrics.globalRegistry.find("kafka.consumer.records.lag")
                .tags("client_id", clientId, "topic", topic, "partition", "0").gauge();
    }

    @Test
    void readersPublishTheirLagUntilTheyCatchUpAndTheGaugeGoesAwayWithTheReader() throws Exception {
        // As --metrics does: the global registry publishes only through a registry added to it.
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Metrics.addRegistry(registry);
        try (TestKafka kafka = TestKafka.start()) {
            KafkaSettings s = kafka.settings();
            String topic = "lag-test";
            try (Admin admin = Admin.create(s.adminConfig())) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            }
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(s.producerConfig("lag-producer"))) {
                for (int i = 0; i < 100; i++) {
                    p.send(new ProducerRecord<>(topic, "k" + i, new byte[] {(byte) i}));
                }
                p.flush();
            }
            Map<String, Object> config = s.readerConfig("lag-reader");
            config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10);
            int read = 0;
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(config)) {
                c.assign(List.of(new TopicPartition(topic, 0)));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (read == 0 && System.nanoTime() < deadline) {
                    read += c.poll(Duration.ofMillis(200)).count();
                }
                assertEquals(10, read, "max.poll.records bounds the first poll");
                Gauge behind = lagGauge("lag-reader", topic);
                assertNotNull(behind, "a lag gauge for the reader's partition");
                assertTrue(behind.value() >= 1 && behind.value() <= 90, "behind after 10 of 100 records: " + behind.value());

                while (read < 100 && System.nanoTime() < deadline) {
                    read += c.poll(Duration.ofMillis(200)).count();
                }
                assertEquals(100, read);
                c.poll(Duration.ofMillis(200)); // the next fetch reports the caught-up position
                assertEquals(0.0, lagGauge("lag-reader", topic).value(), "caught up");
            }
            assertNull(lagGauge("lag-reader", topic), "a closed reader leaves no stale gauge");
        } finally {
            Metrics.removeRegistry(registry);
        }
    }
}
