package dev.shoal.sequencer.runtime;

import dev.shoal.sequencer.config.SequencerConfig;
import dev.shoal.sequencer.storage.CheckpointSummary;
import dev.shoal.sequencer.storage.PrunedHistory;
import dev.shoal.sequencer.storage.SequencerStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Applies the retention policy after each checkpoint ({@link RetentionPolicy} decides the cut from
 * the kept checkpoints, the store deletes below it), raises the first commit readers may ask for,
 * and, where PostgreSQL's autovacuum is off, vacuums the node's tables now and then so that the
 * space of deleted and updated rows is reused instead of growing the files.
 */
@ApplicationScoped
public class HistoryRetention {
    private static final Logger LOG = Logger.getLogger(HistoryRetention.class);

    private final RetentionPolicy policy;
    private final SequencerConfig config;
    private final CommitFeed feed;
    private final Counter prunedCommits;
    private final Counter prunedCertificates;
    private final Counter prunedBatches;
    private final Timer vacuum;
    /** Null until asked: whether the database reclaims space by itself. */
    private volatile Boolean reclaimsItself;
    private volatile Instant lastVacuum;
    private final AtomicBoolean vacuuming = new AtomicBoolean();

    HistoryRetention(SequencerConfig config, CommitFeed feed, MeterRegistry registry) {
        this.policy = RetentionPolicy.of(config.retention());
        this.config = config;
        this.feed = feed;
        this.prunedCommits = pruned(registry, "commits");
        this.prunedCertificates = pruned(registry, "certificates");
        this.prunedBatches = pruned(registry, "batches");
        this.vacuum = Timer.builder("sequencer.retention.vacuum.duration")
                .description("Time of one VACUUM of the node's tables (only where the server's autovacuum is off)").register(registry);
    }

    private static Counter pruned(MeterRegistry registry, String what) {
        return Counter.builder("sequencer.retention.pruned").tag("kind", what)
                .description("Records deleted because they were beyond the retention policy").register(registry);
    }

    /**
     * Prunes what the policy no longer keeps, then starts a vacuum when one is due; called after each
     * checkpoint. The vacuum runs on its own: on a large database it may take minutes, and the next
     * checkpoint must not wait for it.
     */
    public Uni<Void> apply(SequencerStore store) {
        return prune(store).invoke(() -> vacuumIfDue(store).subscribe().with(
                ok -> { },
                e -> LOG.warnf("VACUUM of the node's tables failed (tried again in %s): %s",
                        RetentionPolicy.brief(config.retention().vacuumInterval()), e.getMessage())));
    }

    private Uni<Void> prune(SequencerStore store) {
        if (policy.archive()) return Uni.createFrom().voidItem();
        Instant now = Instant.now();
        Uni<Long> beforeCutoff = policy.timeCutoff(now).map(store::lastCommitBefore).orElse(Uni.createFrom().item(0L));
        return store.checkpoints().chain(kept -> store.lastCommitIndex().chain(last -> beforeCutoff.chain(before -> {
            var first = policy.firstKeptCommit(last, before, kept, config.checkpoint().keep());
            if (first.isEmpty() || first.get() <= feed.firstHeldCommit()) return Uni.createFrom().voidItem();
            return cutAt(store, first.get(), kept);
        })));
    }

    private Uni<Void> cutAt(SequencerStore store, long firstKept, List<CheckpointSummary> kept) {
        CheckpointSummary oldest = kept.get(kept.size() - 1);
        return store.commits(firstKept - 1, 1).chain(previous -> {
            if (previous.isEmpty() || previous.get(0).index() != firstKept - 1) {
                feed.historyPruned(firstKept); // an earlier run (before a restart) cut there already
                return Uni.createFrom().voidItem();
            }
            RetentionPolicy.Cut cut = RetentionPolicy.cut(firstKept, previous.get(0).anchorRound(), oldest, config.consensus().gcDepth());
            // Readers are turned away first: nothing may start reading a commit being deleted.
            feed.historyPruned(cut.belowCommit());
            return store.pruneHistory(cut.belowCommit(), cut.belowRound(), oldest.commitIndex(), config.consensus().transactionWindow())
                    .invoke(pruned -> record(cut, pruned)).replaceWithVoid();
        });
    }

    private void record(RetentionPolicy.Cut cut, PrunedHistory pruned) {
        prunedCommits.increment(pruned.commits());
        prunedCertificates.increment(pruned.certificates());
        prunedBatches.increment(pruned.batches());
        if (pruned.rows() > 0) {
            LOG.infof("Retention: pruned the commits below %d and the certificates below round %d: %d commits, %d certificates,"
                            + " %d batches, %d own headers, %d votes, %d transaction rows", cut.belowCommit(), cut.belowRound(),
                    pruned.commits(), pruned.certificates(), pruned.batches(), pruned.ownHeaders(), pruned.votes(), pruned.transactionRows());
        }
    }

    private Uni<Void> vacuumIfDue(SequencerStore store) {
        Duration interval = config.retention().vacuumInterval();
        Uni<Boolean> itself = reclaimsItself != null ? Uni.createFrom().item(reclaimsItself) : store.reclaimsSpaceItself().invoke(b -> {
            reclaimsItself = b;
            if (!b && interval.isZero()) {
                LOG.warn("PostgreSQL's autovacuum is off and sequencer.retention.vacuum-interval=0: the space of deleted and updated"
                        + " rows is never reused and the database only grows; turn autovacuum on or set an interval");
            } else if (!b) {
                LOG.infof("PostgreSQL's autovacuum is off: this node vacuums its tables every %s (sequencer.retention.vacuum-interval)",
                        RetentionPolicy.brief(interval));
            }
        });
        return itself.chain(b -> {
            Instant now = Instant.now();
            if (b || interval.isZero() || (lastVacuum != null && Duration.between(lastVacuum, now).compareTo(interval) < 0)
                    || !vacuuming.compareAndSet(false, true)) {
                return Uni.createFrom().voidItem();
            }
            lastVacuum = now;
            long started = System.nanoTime();
            return store.reclaimSpace().invoke(() -> vacuum.record(System.nanoTime() - started, TimeUnit.NANOSECONDS))
                    .eventually(() -> vacuuming.set(false));
        });
    }
}
