package dev.shoal.sequencer.peer;

import dev.shoal.sequencer.concurrent.DaemonThreads;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Range sync for a validator that fell behind (back from an outage, or joining with an empty
 * database), or whose DAG waits for a certificate nobody sends. Fetching missing parents one digest
 * at a time walks back a round per round trip, and peers answer digests only from the recent rounds
 * they keep in memory; instead, ask one peer for the certificates of whole rounds, which it serves
 * from its store, and keep asking until the gap closes. Two things start it: the highest round seen
 * from peers is more than {@code catchUpLagRounds} above our DAG, or the DAG has waited a request
 * timeout for a certificate below (or at) its top. The range starts at the lower of our DAG's next
 * round and the lowest round it waits for: a hole below the top (a certificate lost to a full inbox,
 * an unfetchable batch, or a crash between a child's write and its parent's) is never filled by
 * rounds above the top, and once peers' memory has moved on, nothing else would fill it. The
 * certificates go through the same checks as any other. One request is outstanding at a time; the
 * next is sent once half of the previous range has entered the DAG, or after the request timeout
 * (then of the next peer in turn).
 */
public final class CatchUp implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CatchUp.class);

    /**
     * Where our DAG stands.
     *
     * @param highestRound      its highest round
     * @param lowestWantedRound the lowest round of a certificate a pending one waits for, -1 when none
     */
    public record DagPosition(long highestRound, long lowestWantedRound) {}

    /** Sends a range request to a peer. */
    @FunctionalInterface
    public interface RangeAsker {
        void ask(int peer, long fromRound, int maxRounds);
    }

    private final int self;
    private final AtomicLongArray seen;
    private final Supplier<CompletableFuture<DagPosition>> position;
    private final RangeAsker asker;
    private final SyncSettings settings;
    private final LongSupplier clock;
    private final SyncMetrics metrics;
    private final ScheduledExecutorService thread;
    // owned by the thread
    private long askedFrom;
    private long askedAtMs = -1;
    private int attempt;
    private boolean catchingUp;
    /** The lowest wanted round last seen, and since when it has been wanted (our clock). */
    private long holeRound = -1;
    private long holeSinceMs;
    private volatile long knownDagRound;
    private long prunedFrom = -1;
    private final Set<Integer> prunedPeers = new TreeSet<>();
    private boolean blocked;
    private volatile Consumer<String> blockedListener = why -> { };

    public CatchUp(int committeeSize, int self, Supplier<CompletableFuture<DagPosition>> position, RangeAsker asker,
                   SyncSettings settings, LongSupplier clock, SyncMetrics metrics) {
        this.self = self;
        this.seen = new AtomicLongArray(committeeSize);
        this.position = position;
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
        if (certificates == 0 && highestRound >= fromRound) {
            // The peer is past these rounds but no longer stores them: it prunes (archive off).
            prunedAnswer(peer, fromRound);
        }
    }

    /**
     * Once n-1-f peers (all but f of the others, so at least one honest) said they no longer hold the
     * rounds we need, this validator cannot catch up by replay: it says so (readiness DOWN, status)
     * and keeps asking; the state clears as soon as our DAG moves past those rounds.
     */
    private synchronized void prunedAnswer(int peer, long fromRound) {
        if (fromRound != prunedFrom) {
            LOG.warnf("Peer %d no longer holds rounds from %d (it prunes history: sequencer.retention.*);"
                    + " catching up by replay needs a peer that keeps them", peer, fromRound);
            prunedFrom = fromRound;
            prunedPeers.clear();
        }
        prunedPeers.add(peer);
        int others = seen.length() - 1;
        if (prunedPeers.size() >= Math.max(1, others - others / 3) && !blocked) {
            blocked = true;
            blockedListener.accept("peers " + prunedPeers + " no longer hold rounds from " + fromRound + " (they prune history);"
                    + " stop this validator, empty its database and start it again: it joins from a peer's checkpoint");
        }
    }

    private synchronized void unblockIfPast(long ours) {
        if (blocked && ours >= prunedFrom) {
            blocked = false;
            prunedPeers.clear();
            blockedListener.accept(null);
        }
    }

    /** Told when this validator can no longer catch up (a reason) and when it can again (null). */
    public void onBlocked(Consumer<String> listener) {
        this.blockedListener = listener;
    }

    /** One decision; the catch-up thread runs it periodically (tests call it directly). */
    void tick() {
        try {
            DagPosition at = position.get().get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            long now = clock.getAsLong();
            long ours = at.highestRound();
            knownDagRound = ours;
            unblockIfPast(ours);
            long target = highestSeen();
            boolean behind = target - ours > settings.catchUpLagRounds();
            boolean stuck = stuckOnHole(at.lowestWantedRound(), now);
            if (!behind && !stuck) {
                if (catchingUp) LOG.infof("Caught up with the committee at round %d", ours);
                catchingUp = false;
                askedAtMs = -1;
                return;
            }
            long from = ours + 1;
            if (at.lowestWantedRound() >= 0) from = Math.min(from, Math.max(1, at.lowestWantedRound()));
            int maxRounds = settings.maxRoundsPerResponse();
            boolean overdue = askedAtMs >= 0 && now - askedAtMs >= settings.requestTimeout().toMillis();
            boolean consumed = from - askedFrom >= maxRounds - maxRounds / 2;
            if (askedAtMs >= 0 && !overdue && !consumed) return;
            if (overdue) attempt++;
            if (!catchingUp) {
                if (behind) {
                    LOG.infof("Behind the committee: our DAG is at round %d, a peer at %d; syncing round ranges from %d",
                            ours, target, from);
                } else {
                    LOG.infof("Our DAG (at round %d) has waited %d ms for a certificate of round %d that no peer sent;"
                            + " syncing round ranges from %d", ours, now - holeSinceMs, at.lowestWantedRound(), from);
                }
                catchingUp = true;
            }
            int peer = pickPeer(from);
            askedFrom = from;
            askedAtMs = now;
            metrics.rangeRequested();
            asker.ask(peer, from, maxRounds);
        } catch (Exception e) {
            LOG.debugf("catch-up tick skipped: %s", e.toString());
        }
    }

    /**
     * The round f+1 peers have reached (the (f+1)-th highest round seen, f = (n-1)/3 by count): up to f
     * Byzantine peers claiming far-off rounds can neither start range sync nor keep it going, while a
     * validator that is really behind sees 2f honest peers ahead of it.
     */
    private long highestSeen() {
        long[] rounds = new long[seen.length() - 1];
        for (int i = 0, k = 0; i < seen.length(); i++) if (i != self) rounds[k++] = seen.get(i);
        if (rounds.length == 0) return 0;
        Arrays.sort(rounds);
        int f = (seen.length() - 1) / 3;
        return rounds[Math.max(0, rounds.length - 1 - f)];
    }

    /** Our DAG's highest round at the last tick (0 before the first): a cheap bound for checks outside the loop. */
    public long knownDagRound() {
        return knownDagRound;
    }

    /**
     * True once the DAG has waited a whole request timeout for certificates of the same lowest round:
     * the parent requests sent meanwhile went unanswered. (A certificate that arrives before its
     * parent in live traffic is completed within a round trip.)
     */
    private boolean stuckOnHole(long lowestWanted, long now) {
        if (lowestWanted != holeRound) {
            holeRound = lowestWanted;
            holeSinceMs = now;
        }
        return lowestWanted >= 0 && now - holeSinceMs >= settings.requestTimeout().toMillis();
    }

    /**
     * Among the peers that have reached {@code from}, the attempt-th in index order (a silent peer is
     * skipped after one timeout); any peer in turn when none is known to have.
     */
    private int pickPeer(long from) {
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < seen.length(); i++) if (i != self && seen.get(i) >= from) candidates.add(i);
        if (candidates.isEmpty()) {
            for (int i = 0; i < seen.length(); i++) if (i != self) candidates.add(i);
        }
        return candidates.get(Math.floorMod(attempt, candidates.size()));
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
