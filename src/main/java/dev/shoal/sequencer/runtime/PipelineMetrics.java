package dev.shoal.sequencer.runtime;

import dev.shoal.sequencer.node.NodeLifecycle;
import dev.shoal.sequencer.storage.pipeline.PipelineListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/** Reports the persistence pipeline to Micrometer and its health to the node lifecycle (readiness). */
final class PipelineMetrics implements PipelineListener {
    private static final Logger LOG = Logger.getLogger(PipelineMetrics.class);

    private final NodeLifecycle lifecycle;
    private final Timer latency;
    private final DistributionSummary groupRecords;
    private final Counter retries;
    private final AtomicInteger depth = new AtomicInteger();

    PipelineMetrics(MeterRegistry registry, NodeLifecycle lifecycle) {
        this.lifecycle = lifecycle;
        this.latency = Timer.builder("sequencer.persist.latency")
                .description("Time from submitting records to their group being durable")
                .publishPercentileHistogram().register(registry);
        this.groupRecords = DistributionSummary.builder("sequencer.persist.group.records")
                .description("Records written per database transaction (group size)").register(registry);
        this.retries = Counter.builder("sequencer.persist.retries")
                .description("Failed database writes that were retried").register(registry);
        registry.gauge("sequencer.persist.queue.depth", depth);
    }

    @Override
    public void flushed(int records, int submissions, long latencyNanos) {
        latency.record(latencyNanos, TimeUnit.NANOSECONDS);
        groupRecords.record(records);
    }

    @Override
    public void writeFailed(Throwable cause, int attempt, long delayMillis) {
        if (delayMillis < 0) {
            LOG.errorf("Database write refused, not retried: %s", cause.getMessage());
            return;
        }
        retries.increment();
        if (attempt == 1 || attempt % 10 == 0) {
            LOG.warnf("Database write failed (attempt %d), retrying in %d ms: %s", attempt, delayMillis, cause.getMessage());
        }
    }

    @Override
    public void storageHealth(boolean healthy) {
        lifecycle.storageHealthy(healthy);
    }

    @Override
    public void queueDepth(int records) {
        depth.set(records);
    }
}
