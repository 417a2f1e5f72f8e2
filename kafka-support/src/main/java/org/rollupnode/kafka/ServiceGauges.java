package org.rollupnode.kafka;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;

/**
 * A service instance's gauges in Micrometer's global registry (which {@code --metrics} serves).
 * Micrometer keeps the first gauge registered under a name, bound to its object; a service that is
 * restarted in the same JVM would otherwise be reported through its dead predecessor. So a gauge
 * here replaces any earlier one of its name, and {@link #close} removes this instance's gauges.
 */
public final class ServiceGauges implements AutoCloseable {
    private final List<Meter> meters = new CopyOnWriteArrayList<>();

    public <T> void gauge(String name, String description, T obj, ToDoubleFunction<T> value) {
        Gauge stale = Metrics.globalRegistry.find(name).gauge();
        if (stale != null) {
            Metrics.globalRegistry.remove(stale);
        }
        meters.add(Gauge.builder(name, obj, value).description(description).strongReference(true).register(Metrics.globalRegistry));
    }

    @Override
    public void close() {
        meters.forEach(Metrics.globalRegistry::remove);
        meters.clear();
    }
}
