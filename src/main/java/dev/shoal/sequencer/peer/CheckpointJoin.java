package dev.shoal.sequencer.peer;

import dev.shoal.sequencer.checkpoint.CheckpointException;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.net.PeerMessage;
import dev.shoal.sequencer.output.WindowSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * A validator with an empty database asks its peers what it can join from, before its loop opens:
 * <ol>
 * <li>every peer is asked for its latest checkpoint; once all, or with us a quorum, have answered (or
 * the join timeout passed), the {@link JoinPolicy} says whether to use a checkpoint at all;</li>
 * <li>offers are opened and checked alone (frame, checksum, committee, window bounds), highest commit
 * index first; the chosen one's window certificates are verified (a quorum of signatures each);</li>
 * <li>the transaction window after that commit (what exactly-once output remembers) is paged from
 * the offering peer, else from another;</li>
 * <li>the consensus state and the window cannot be checked alone, so every peer is asked for the
 * digest of its own state and window after that commit ({@link StateAttestor}); they are used once
 * peers with f+1 stake vouch for the same digest (at least one of them honest, and honest validators
 * agree on it), else the next offer is tried.</li>
 * </ol>
 * Blocking; runs on the recovery thread. Offers and vouches arrive from the network's event loop.
 */
public final class CheckpointJoin {
    private static final Logger LOG = Logger.getLogger(CheckpointJoin.class);
    private static final long POLL_MS = 50;
    private static final long RESEND_MS = 1_000;
    /** Window entries asked for per page (a peer sends fewer when its frames are smaller). */
    private static final int WINDOW_PAGE = 100_000;
    /** Rounds of offers asked for before giving up. */
    private static final int ATTEMPTS = 3;

    /** Thrown when peers offer checkpoints to join from but none can be used. */
    public static final class JoinFailedException extends RuntimeException {
        JoinFailedException(String message) {
            super(message);
        }
    }

    private final Committee committee;
    private final int self;
    private final JoinPolicy policy;
    private final Duration timeout;
    private final long gcDepth;
    private final long maxCheckpointBytes;
    private final BiConsumer<Integer, PeerMessage> send;
    private final Map<Integer, PeerMessage.CheckpointOffer> offers = new ConcurrentHashMap<>();
    private final Map<Integer, PeerMessage.StateVouch> vouches = new ConcurrentHashMap<>();
    private final Map<Integer, Queue<PeerMessage.WindowPage>> pages = new ConcurrentHashMap<>();
    private final int transactionWindow;
    private volatile boolean listening = true;

    public CheckpointJoin(Committee committee, int self, JoinPolicy policy, Duration timeout, long gcDepth,
                          long maxCheckpointBytes, int transactionWindow, BiConsumer<Integer, PeerMessage> send) {
        this.committee = committee;
        this.transactionWindow = transactionWindow;
        this.self = self;
        this.policy = policy;
        this.timeout = timeout;
        this.gcDepth = gcDepth;
        this.maxCheckpointBytes = maxCheckpointBytes;
        this.send = send;
    }

    /** A peer answered our checkpoint request. */
    void offered(int from, PeerMessage.CheckpointOffer offer) {
        if (listening && from != self) offers.put(from, offer);
    }

    /** A peer answered our state request. */
    void vouched(int from, PeerMessage.StateVouch vouch) {
        if (listening && from != self) vouches.put(from, vouch);
    }

    /** A peer sent a page of its transaction window. */
    void windowPage(int from, PeerMessage.WindowPage page) {
        if (listening && from != self) pages.computeIfAbsent(from, p -> new ConcurrentLinkedQueue<>()).add(page);
    }

    /** What a validator joins from: a vouched checkpoint and the transaction window after its last commit. */
    public record JoinPoint(OfferedCheckpoint checkpoint, WindowSnapshot window) {}

    /** The checkpoint to install with its transaction window, or empty to sync from genesis. */
    public Optional<JoinPoint> run() throws InterruptedException {
        try {
            if (policy == JoinPolicy.NEVER) return Optional.empty();
            for (int attempt = 1; ; attempt++) {
                collectOffers();
                StringBuilder reason = new StringBuilder();
                List<Integer> peers = policy.offersToTry(committee, Map.copyOf(offers), reason);
                if (peers.isEmpty()) {
                    LOG.infof("Join: syncing from genesis: %s", reason);
                    return Optional.empty();
                }
                LOG.infof("Join: from a peer's checkpoint: %s", reason);
                List<OfferedCheckpoint> candidates = openAll(peers);
                Optional<JoinPoint> joined = firstVouched(candidates);
                if (joined.isPresent()) return joined;
                String failure = "no offered checkpoint could be verified (" + candidates.size() + " of " + peers.size()
                        + " offers opened; none got f+1 peers to vouch for its consensus state and transaction window within "
                        + timeout.toSeconds() + " s)";
                if (attempt == ATTEMPTS || candidates.isEmpty()) throw new JoinFailedException(failure + "; this validator cannot join yet");
                // Peers vouch from their own kept checkpoints: one that has taken newer ones since its
                // offer may no longer reach back to an offered commit. Newer offers it can vouch for.
                LOG.warnf("Join: %s; asking for fresh offers (attempt %d of %d)", failure, attempt + 1, ATTEMPTS);
                offers.clear();
                vouches.clear();
            }
        } finally {
            listening = false;
        }
    }

    private Optional<JoinPoint> firstVouched(List<OfferedCheckpoint> candidates) throws InterruptedException {
        for (OfferedCheckpoint c : candidates) {
            Optional<String> bad = c.verifyCertificates(committee);
            if (bad.isPresent()) {
                LOG.warnf("Join: the checkpoint peer %d offered has an invalid certificate (%s); trying the next offer", c.peer(), bad.get());
                continue;
            }
            Optional<WindowSnapshot> window = fetchWindow(c);
            if (window.isEmpty()) {
                LOG.warnf("Join: no peer sent the transaction window after commit %d; trying the next offer", c.commitIndex());
                continue;
            }
            if (vouchedFor(c, window.get())) return Optional.of(new JoinPoint(c, window.get()));
        }
        return Optional.empty();
    }

    private void collectOffers() throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastSent = System.nanoTime() - RESEND_MS * 1_000_000; // ask at once
        LOG.infof("Join: the database is empty; asking %d peers for their checkpoints", committee.size() - 1);
        while (true) {
            if (JoinPolicy.enoughAnswers(committee, self, offers)) return;
            long now = System.nanoTime();
            if (now >= deadline) {
                LOG.warnf("Join: only %d of %d peers answered within %d s", offers.size(), committee.size() - 1, timeout.toSeconds());
                return;
            }
            if (now - lastSent >= RESEND_MS * 1_000_000) {
                for (int p = 0; p < committee.size(); p++) if (p != self && !offers.containsKey(p)) send.accept(p, new PeerMessage.CheckpointRequest());
                lastSent = now;
            }
            Thread.sleep(POLL_MS);
        }
    }

    /** The offers that open and check, highest commit index first (ties: lower peer index). */
    private List<OfferedCheckpoint> openAll(List<Integer> peers) {
        List<OfferedCheckpoint> out = new ArrayList<>();
        for (int p : peers) {
            try {
                out.add(OfferedCheckpoint.open(p, offers.get(p).checkpoint(), committee, gcDepth, maxCheckpointBytes));
            } catch (CheckpointException e) {
                LOG.warnf("Join: the checkpoint peer %d offered is unusable: %s", p, e.getMessage());
            } catch (RuntimeException e) {
                // A peer's bytes must never stop this validator from starting, whatever a decoder throws.
                LOG.warnf("Join: the checkpoint peer %d offered cannot be opened: %s", p, e);
            }
        }
        out.sort(Comparator.comparingLong(OfferedCheckpoint::commitIndex).reversed().thenComparingInt(OfferedCheckpoint::peer));
        return out;
    }

    /**
     * The transaction window after the offer's commit, paged from the offering peer first, then from
     * the others in turn; empty when none sends a whole one in time. It is checked by the vouches.
     */
    private Optional<WindowSnapshot> fetchWindow(OfferedCheckpoint c) throws InterruptedException {
        List<Integer> order = new ArrayList<>();
        order.add(c.peer());
        for (int p = 0; p < committee.size(); p++) if (p != self && p != c.peer()) order.add(p);
        for (int peer : order) {
            Optional<WindowSnapshot> w = fetchWindowFrom(peer, c.commitIndex());
            if (w.isPresent()) return w;
        }
        return Optional.empty();
    }

    private Optional<WindowSnapshot> fetchWindowFrom(int peer, long index) throws InterruptedException {
        List<WindowSnapshot.Entry> entries = new ArrayList<>();
        long outputEnd = -1;
        long windowStart = 0;
        long next = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastSent = System.nanoTime() - RESEND_MS * 1_000_000;
        Queue<PeerMessage.WindowPage> inbox = pages.computeIfAbsent(peer, p -> new ConcurrentLinkedQueue<>());
        inbox.clear();
        while (System.nanoTime() < deadline) {
            PeerMessage.WindowPage page = inbox.poll();
            if (page != null && page.commitIndex() == index) {
                if (!page.available()) {
                    LOG.infof("Join: peer %d does not hold the transaction window after commit %d", peer, index);
                    return Optional.empty();
                }
                boolean first = outputEnd < 0;
                boolean consistent = first ? page.outputEnd() - page.windowStart() + 1 <= transactionWindow
                        : page.outputEnd() == outputEnd && page.windowStart() == windowStart;
                if (!consistent || (page.entries().isEmpty() && page.firstPosition() <= page.outputEnd())) {
                    LOG.warnf("Join: peer %d sent a window page that does not fit (positions %d.. of %d); asking another peer",
                            peer, page.firstPosition(), page.outputEnd());
                    return Optional.empty();
                }
                // A page we did not ask for now (an answer to a request sent again) is ignored.
                if (page.firstPosition() != (first ? page.windowStart() : next)) continue;
                outputEnd = page.outputEnd();
                windowStart = page.windowStart();
                for (PeerMessage.WindowEntry e : page.entries()) entries.add(new WindowSnapshot.Entry(e.commitIndex(), e.digest()));
                next = page.firstPosition() + page.entries().size();
                if (next > outputEnd) {
                    try {
                        return Optional.of(new WindowSnapshot(index, outputEnd, entries));
                    } catch (IllegalArgumentException e) {
                        LOG.warnf("Join: peer %d sent an invalid transaction window: %s", peer, e.getMessage());
                        return Optional.empty();
                    }
                }
                lastSent = 0; // ask for the next page at once
            }
            long now = System.nanoTime();
            if (lastSent == 0 || now - lastSent >= RESEND_MS * 1_000_000) {
                send.accept(peer, new PeerMessage.WindowRequest(index, next, WINDOW_PAGE));
                lastSent = now;
            }
            Thread.sleep(page != null ? 0 : 5);
        }
        LOG.warnf("Join: peer %d did not send the transaction window after commit %d within %d s", peer, index, timeout.toSeconds());
        return Optional.empty();
    }

    /**
     * Asks every peer for its digest of the state and transaction window after the offer's commit;
     * true once f+1 stake vouch for the offer's state with the window we hold.
     */
    private boolean vouchedFor(OfferedCheckpoint c, WindowSnapshot window) throws InterruptedException {
        long index = c.commitIndex();
        Digest expected = window.vouchedDigest(c.state().digest());
        vouches.clear();
        LOG.infof("Join: peer %d offers a checkpoint at round %d, commit %d (%d certificates); asking peers to vouch for state %s",
                c.peer(), c.record().round(), index, c.body().window().size(), expected.toHex().substring(0, 16));
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastSent = System.nanoTime() - RESEND_MS * 1_000_000; // ask at once
        while (true) {
            List<Integer> agree = new ArrayList<>();
            List<Integer> disagree = new ArrayList<>();
            vouches.forEach((p, v) -> {
                if (v.commitIndex() != index || v.stateDigest().isEmpty()) return;
                (v.stateDigest().get().equals(expected) ? agree : disagree).add(p);
            });
            if (committee.stakeOf(agree) >= committee.validityThreshold()) {
                LOG.infof("Join: peers %s vouch for the state at commit %d", agree, index);
                return true;
            }
            if (committee.stakeOf(disagree) >= committee.validityThreshold()) {
                LOG.warnf("Join: peers %s say the state at commit %d differs from the one peer %d offered; trying the next offer",
                        disagree, index, c.peer());
                return false;
            }
            long now = System.nanoTime();
            if (now >= deadline) {
                LOG.warnf("Join: only peers %s vouched for the state at commit %d within %d s (peers not there yet, or pruned their commit log)",
                        agree, index, timeout.toSeconds());
                return false;
            }
            if (now - lastSent >= RESEND_MS * 1_000_000) {
                for (int p = 0; p < committee.size(); p++) {
                    PeerMessage.StateVouch v = vouches.get(p);
                    boolean answered = v != null && v.commitIndex() == index && v.stateDigest().isPresent();
                    if (p != self && !answered) send.accept(p, new PeerMessage.StateRequest(index));
                }
                lastSent = now;
            }
            Thread.sleep(POLL_MS);
        }
    }
}
