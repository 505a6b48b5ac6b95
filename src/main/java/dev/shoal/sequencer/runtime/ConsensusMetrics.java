package dev.shoal.sequencer.runtime;

import dev.shoal.sequencer.concurrent.DaemonThreads;
import dev.shoal.sequencer.core.validator.RejectReason;
import dev.shoal.sequencer.core.validator.ValidatorStats;
import dev.shoal.sequencer.driver.ValidatorDriver;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The consensus core's counters as metrics: peer inputs rejected by reason (docs/safety.md, rule 6 —
 * bad signatures, equivocation, forged quorums...), headers proposed and abandoned, votes sent,
 * certificates formed, accepted and orphaned, the DAG round. The core is owned by the loop thread, so a copy is taken on
 * that thread once a second and the meters read the copy.
 */
final class ConsensusMetrics implements AutoCloseable {
    private final AtomicLongArray rejected = new AtomicLongArray(RejectReason.values().length);
    private final AtomicLong headers = new AtomicLong();
    private final AtomicLong votes = new AtomicLong();
    private final AtomicLong formed = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();
    private final AtomicLong idleWaits = new AtomicLong();
    private final AtomicLong orphaned = new AtomicLong();
    private final AtomicLong round = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong lowestWanted = new AtomicLong(-1);
    private final ScheduledExecutorService timer = DaemonThreads.single("consensus-metrics");

    ConsensusMetrics(MeterRegistry registry, ValidatorDriver driver) {
        for (RejectReason reason : RejectReason.values()) {
            FunctionCounter.builder("sequencer.consensus.rejected", rejected, a -> a.get(reason.ordinal()))
                    .description("Peer inputs the consensus core rejected, by reason").tag("reason", reason.name().toLowerCase())
                    .register(registry);
        }
        FunctionCounter.builder("sequencer.consensus.headers.proposed", headers, AtomicLong::get).register(registry);
        FunctionCounter.builder("sequencer.consensus.votes.sent", votes, AtomicLong::get).register(registry);
        FunctionCounter.builder("sequencer.consensus.certificates.formed", formed, AtomicLong::get).register(registry);
        FunctionCounter.builder("sequencer.consensus.certificates.accepted", accepted, AtomicLong::get).register(registry);
        FunctionCounter.builder("sequencer.consensus.headers.abandoned", abandoned, AtomicLong::get)
                .description("Own headers superseded uncertified; their batches went into a later header").register(registry);
        FunctionCounter.builder("sequencer.consensus.headers.idle.waits", idleWaits, AtomicLong::get)
                .description("Rounds whose own proposal waited for the idle header interval (no work in sight); flat under load")
                .register(registry);
        FunctionCounter.builder("sequencer.consensus.certificates.orphaned", orphaned, AtomicLong::get)
                .description("Own certificates the commit rule skipped for good; their batches were proposed again").register(registry);
        Gauge.builder("sequencer.consensus.dag.round", round, AtomicLong::get)
                .description("Highest round in this validator's DAG").register(registry);
        Gauge.builder("sequencer.consensus.dag.pending", pending, AtomicLong::get)
                .description("Certificates waiting for parents outside the DAG").register(registry);
        Gauge.builder("sequencer.consensus.dag.lowest.wanted.round", lowestWanted, AtomicLong::get)
                .description("Lowest round of a parent the DAG waits for (-1: none); steady below the DAG round is a hole range sync fills")
                .register(registry);
        timer.scheduleWithFixedDelay(() -> driver.inspect(core -> {
            copy(core.stats(), core.dag().highestRound());
            pending.set(core.dag().pendingCount());
            lowestWanted.set(core.dag().lowestWantedRound());
            return null;
        }), 1, 1, TimeUnit.SECONDS);
    }

    private void copy(ValidatorStats s, long dagRound) {
        for (RejectReason reason : RejectReason.values()) rejected.set(reason.ordinal(), s.rejected(reason));
        headers.set(s.headersProposed());
        votes.set(s.votesSent());
        formed.set(s.certificatesFormed());
        accepted.set(s.certificatesAccepted());
        abandoned.set(s.headersAbandoned());
        idleWaits.set(s.idleWaits());
        orphaned.set(s.certificatesOrphaned());
        round.set(dagRound);
    }

    /** Rejections counted so far (the last copy). */
    long rejected(RejectReason reason) {
        return rejected.get(reason.ordinal());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
