package dev.shoal.sequencer.core.validator;

import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.types.Vote;
import java.util.List;

/**
 * An input to {@link ValidatorStateMachine#step(Event)}. Everything the validator core learns
 * arrives as one of these: peer messages (with the authenticated sender's committee index),
 * batches made by our own worker, timers the driver set for us, and the time.
 * Time only ever comes in as data (Start, Tick); the core never reads a clock.
 */
public sealed interface Event {

    /** The event a peer's protocol message becomes, {@code from} being the authenticated sender's committee index. */
    static Event received(Message message, int from) {
        if (message instanceof Message.HeaderMessage h) return new HeaderReceived(h.header(), from);
        if (message instanceof Message.VoteMessage v) return new VoteReceived(v.vote());
        if (message instanceof Message.CertificateMessage c) return new CertificateReceived(c.certificate(), from);
        if (message instanceof Message.CertificateRequest r) return new CertificatesRequested(r.digests(), from);
        throw new IllegalArgumentException("no event for " + message.getClass().getSimpleName());
    }

    /**
     * The first event after construction or {@link ValidatorStateMachine#restore}: arms the timers,
     * re-sends the persisted own header of the current round (safety rule 1) and proposes if it can.
     */
    record Start(long nowMs) implements Event {}

    /** The driver's clock moved; used for header timestamps and for pacing our headers. */
    record Tick(long nowMs) implements Event {}

    /** Our own worker sealed batches with these digests; they go into our next headers. */
    record BatchReady(List<Digest> batchDigests) implements Event {
        public BatchReady {
            batchDigests = List.copyOf(batchDigests);
        }
    }

    /** A header proposal, as sent by committee member {@code from}. */
    record HeaderReceived(Header header, int from) implements Event {}

    /** A vote for one of our headers. The voter is named inside the signed vote. */
    record VoteReceived(Vote vote) implements Event {}

    /** A certificate, as sent by committee member {@code from} (whom we ask for missing parents). */
    record CertificateReceived(Certificate certificate, int from) implements Event {}

    /** Committee member {@code from} asks us for the certificates with these digests. */
    record CertificatesRequested(List<Digest> digests, int from) implements Event {
        public CertificatesRequested {
            digests = List.copyOf(digests);
        }
    }

    /** A timer set through {@link Output#timers()} expired. */
    record TimerFired(TimerKind kind, long round) implements Event {}

    /**
     * For a validator that started without records ({@link ValidatorStateMachine#createWithoutRecords}):
     * the highest round of a certificate that peers holding, with us, at least 2f+1 stake showed us,
     * proven by the certificate itself. Any round our lost records may have used is at
     * most one above it, so we abstain through that round (safety rule 8).
     */
    record SafeRoundLearned(long highestCertifiedRound) implements Event {
        public SafeRoundLearned {
            if (highestCertifiedRound < 0) throw new IllegalArgumentException("negative round " + highestCertifiedRound);
        }
    }
}
