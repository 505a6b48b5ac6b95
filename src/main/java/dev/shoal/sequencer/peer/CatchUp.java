package dev.shoal.sequencer.peer;

import dev.shoal.sequencer.concurrent.DaemonThreads;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Range sync for a validator that fell behind (back from an outage, or joining with an empty
 * database). Fetching missing parents one digest at a time walks back a round per round trip;
 * instead, when the highest round seen from peers is more than {@code catchUpLagRounds} above our
 * DAG, ask one peer for the certificates of the next rounds in bulk, and keep asking until the gap
 * closes. The certificates go through the same checks as any other. One request is outstanding at a
 * time; the next is sent once half of the previous range has entered the DAG, or after the request
 * timeout (then of the next peer in turn).
 */
public final class CatchUp implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CatchUp.class);

    /** Sends a range request to a peer. */
    @FunctionalInterface
    public interface RangeAsker {
        void ask(int peer, long fromRound, int maxRounds);
    }

    private final int self;
    private final AtomicLongArray seen;
    private final Supplier<CompletableFuture<Long>> ourHighestRound;
    private final RangeAsker asker;
    private final SyncSettings settings;
    private final LongSupplier clock;
    private final SyncMetrics metrics;
    private final ScheduledExecutorService thread;
    // owned by the thread
    private long requestedUpTo;
    private long askedAtMs = -1;
    private int attempt;
    private boolean catchingUp;
    private final AtomicLong warnedPrunedFrom = new AtomicLong(-1);

    public CatchUp(int committeeSize, int self, Supplier<CompletableFuture<Long>> ourHighestRound, RangeAsker asker,
                   SyncSettings settings, LongSupplier clock, SyncMetrics metrics) {
        this.self = self;
        this.seen = new AtomicLongArray(committeeSize);
        this.ourHighestRound = ourHighestRound;
        this.asker = asker;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
        this.thread = DaemonThreads.single("catch-up");
    }

    public void start() {
        long period = Math.max(20, settings.requestTimeout().toMillis() / 8);
        thread.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    /** A peer showed us a header or certificate of this round (it has reached it). */
    public void observed(int peer, long round) {
        if (peer < 0 || peer >= seen.length() || peer == self) return;
        seen.accumulateAndGet(peer, round, Math::max);
    }

    /** A range response arrived: the peer is at {@code highestRound}; the next range may be asked soon. */
    public void responded(int peer, long fromRound, long highestRound, int certificates) {
        observed(peer, highestRound);
        metrics.certificatesSynced(certificates);
        if (certificates == 0 && highestRound >= fromRound && warnedPrunedFrom.getAndSet(fromRound) != fromRound) {
            // The peer is past these rounds but no longer stores them: it prunes (archive off).
            LOG.warnf("Peer %d no longer holds rounds from %d (it prunes history: sequencer.checkpoint.archive=false);"
                    + " catching up by replay needs a peer that keeps them", peer, fromRound);
        }
    }

    private void tick() {
        try {
            long ours = ourHighestRound.get().get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            int best = -1;
            for (int i = 0; i < seen.length(); i++) if (i != self && (best < 0 || seen.get(i) > seen.get(best))) best = i;
            if (best < 0) return;
            long target = seen.get(best);
            if (target - ours <= settings.catchUpLagRounds()) {
                if (catchingUp) LOG.infof("Caught up with the committee at round %d", ours);
                catchingUp = false;
                askedAtMs = -1;
                return;
            }
            long now = clock.getAsLong();
            int maxRounds = settings.maxRoundsPerResponse();
            boolean overdue = askedAtMs >= 0 && now - askedAtMs >= settings.requestTimeout().toMillis();
            boolean consumed = ours + 1 >= requestedUpTo - maxRounds / 2;
            if (askedAtMs >= 0 && !overdue && !consumed) return;
            if (overdue) attempt++;
            if (!catchingUp) {
                LOG.infof("Behind the committee: our DAG is at round %d, peer %d at %d; syncing round ranges", ours, best, target);
                catchingUp = true;
            }
            int peer = pickPeer(ours);
            long from = ours + 1;
            requestedUpTo = from + maxRounds;
            askedAtMs = now;
            metrics.rangeRequested();
            asker.ask(peer, from, maxRounds);
        } catch (Exception e) {
            LOG.debugf("catch-up tick skipped: %s", e.toString());
        }
    }

    /** Among the peers ahead of us, the attempt-th in index order: a silent peer is skipped after one timeout. */
    private int pickPeer(long ours) {
        int ahead = 0;
        for (int i = 0; i < seen.length(); i++) if (i != self && seen.get(i) > ours + settings.catchUpLagRounds()) ahead++;
        int k = Math.floorMod(attempt, Math.max(1, ahead));
        for (int i = 0; i < seen.length(); i++) {
            if (i != self && seen.get(i) > ours + settings.catchUpLagRounds() && k-- == 0) return i;
        }
        return self == 0 ? 1 : 0;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
