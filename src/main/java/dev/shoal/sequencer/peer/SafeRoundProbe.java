package dev.shoal.sequencer.peer;

import dev.shoal.sequencer.concurrent.DaemonThreads;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.validator.Event;
import dev.shoal.sequencer.core.validator.Verifier;
import dev.shoal.sequencer.net.PeerMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Safety rule 8 for a validator that started without records (an emptied database, the same key):
 * asks every peer for a certificate of its highest round until the answering peers and we hold at
 * least 2f+1 stake, then tells the core the highest round those certificates prove. Rounds our lost
 * records used are at most one above it: a vote or header of ours in round r needed 2f+1 parent
 * certificates of round r-1, whose authors hold them; with at most f faulty validators (a peer that
 * does not answer counts as one), one of those authors is an honest peer that answered. A
 * certificate proves its round, so a Byzantine peer cannot raise the answer beyond what exists; an
 * answer that does not verify is ignored. docs/safety.md (rule 8) has the whole argument.
 */
final class SafeRoundProbe implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SafeRoundProbe.class);

    private final Committee committee;
    private final int self;
    private final BiConsumer<Integer, PeerMessage> send;
    private final Predicate<Event> offer;
    private final ScheduledExecutorService thread = DaemonThreads.single("safe-round-probe");
    private final Map<Integer, Long> answers = new HashMap<>();
    private boolean done;

    /**
     * @param send  sends a message to a peer
     * @param offer hands the result to the consensus loop (false: its inbox is full, asked again)
     */
    SafeRoundProbe(Committee committee, int self, BiConsumer<Integer, PeerMessage> send, Predicate<Event> offer) {
        this.committee = committee;
        this.self = self;
        this.send = send;
        this.offer = offer;
    }

    /** Asks the peers that have not answered, every {@code period}, until enough have. */
    void start(Duration period) {
        LOG.info("Started without records: not voting or proposing until peers with 2f+1 stake show how far the committee certified");
        thread.scheduleWithFixedDelay(this::ask, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void ask() {
        if (done) return;
        for (int p = 0; p < committee.size(); p++) {
            if (p != self && !answers.containsKey(p)) send.accept(p, new PeerMessage.SafeRoundRequest());
        }
    }

    /** A peer's answer: the round its certificate proves (0 without one); a certificate that does not verify is ignored. */
    synchronized void answered(int from, Optional<Certificate> highest) {
        if (done || from == self || !committee.isMember(from) || answers.containsKey(from)) return;
        long round = 0;
        if (highest.isPresent()) {
            Certificate c = highest.get();
            Optional<String> problem = Verifier.DIRECT.checkCertificate(committee, c, (k, m, s) -> false);
            if (problem.isPresent()) {
                LOG.warnf("Peer %d answered the safe-round probe with an invalid certificate (%s); ignored", from, problem.get());
                return;
            }
            round = c.round();
        }
        answers.put(from, round);
        List<Integer> counted = new ArrayList<>(answers.keySet());
        counted.add(self);
        if (committee.stakeOf(counted) < committee.quorumThreshold()) return;
        long safe = 0;
        for (long r : answers.values()) safe = Math.max(safe, r);
        if (!offer.test(new Event.SafeRoundLearned(safe))) {
            answers.remove(from); // the loop is full: this answer is asked for again
            return;
        }
        done = true;
        LOG.infof("Peers %s show the committee certified up to round %d: voting and proposing from round %d on",
                new ArrayList<>(answers.keySet()), safe, safe == 0 ? 1 : safe + 2);
        thread.shutdown();
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
