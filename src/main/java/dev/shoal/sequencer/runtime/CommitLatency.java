package dev.shoal.sequencer.runtime;

import dev.shoal.sequencer.driver.CommitSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * Commit latency as the DAG papers measure it, from the anchor's proposal (its header's timestamp,
 * by its author's clock) to this validator's durable commit of it, and the commits made. Across
 * machines it includes their clock offset; a validator catching up records how far behind it was.
 */
final class CommitLatency {
    private final Timer latency;
    private final Counter commits;
    private final Clock clock;

    CommitLatency(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        this.latency = Timer.builder("sequencer.consensus.commit.latency")
                .description("From the anchor's proposal (its author's clock) to this validator's durable commit")
                .publishPercentileHistogram().register(registry);
        this.commits = Counter.builder("sequencer.consensus.commits").description("Sub-DAGs committed (durable) by this validator")
                .register(registry);
    }

    /** The sink that records each commit, then hands it on. */
    CommitSink around(CommitSink next) {
        return sub -> {
            latency.record(Math.max(0, clock.millis() - sub.anchor().header().timestampMs()), TimeUnit.MILLISECONDS);
            commits.increment();
            next.published(sub);
        };
    }
}
