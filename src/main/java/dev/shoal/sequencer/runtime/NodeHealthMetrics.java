package dev.shoal.sequencer.runtime;

import dev.shoal.sequencer.node.NodeLifecycle;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * What the probes see, as metrics an alert can watch over time: whether the node is ready (it
 * recovered, storage writes succeed, it can catch up) and whether the last storage write succeeded.
 */
@ApplicationScoped
class NodeHealthMetrics {
    void register(@Observes StartupEvent event, MeterRegistry registry, NodeLifecycle lifecycle, NodeBoot boot) {
        Gauge.builder("sequencer.node.ready", lifecycle, l -> l.ready() ? 1 : 0)
                .description("1 while the node is ready (recovered, storage writable, able to catch up), else 0")
                .strongReference(true).register(registry);
        Gauge.builder("sequencer.persist.healthy", boot, b -> b.running().map(n -> n.pipeline().healthy() ? 1 : 0).orElse(0))
                .description("1 while the last storage write succeeded, 0 while writes fail and are retried (or before recovery)")
                .strongReference(true).register(registry);
    }
}
