package dev.shoal.sequencer.net;

import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.validator.Message;
import java.util.List;
import java.util.Objects;

/**
 * Everything one validator sends another over the peer transport. {@link WireCodec} gives each
 * kind a one-byte tag and its canonical encoding.
 */
public sealed interface PeerMessage {

    /** A consensus message of the core (header, vote, certificate, certificate request). */
    record Consensus(Message message) implements PeerMessage {
        public Consensus {
            Objects.requireNonNull(message, "message");
        }
    }

    /** A worker disseminates a batch it sealed (the receiver checks that the author is the sender). */
    record BatchPush(Batch batch) implements PeerMessage {
        public BatchPush {
            Objects.requireNonNull(batch, "batch");
        }
    }

    /** Please send me these batches. */
    record BatchRequest(List<Digest> digests) implements PeerMessage {
        public BatchRequest {
            digests = List.copyOf(digests);
        }
    }

    /** The requested batches this validator holds (possibly fewer than asked for). */
    record BatchResponse(List<Batch> batches) implements PeerMessage {
        public BatchResponse {
            batches = List.copyOf(batches);
        }
    }

    /** Please send the certificates of rounds [fromRound, fromRound + maxRounds). */
    record RangeRequest(long fromRound, int maxRounds) implements PeerMessage {
        public RangeRequest {
            if (fromRound < 0) throw new IllegalArgumentException("fromRound must be non-negative");
            if (maxRounds < 1) throw new IllegalArgumentException("maxRounds must be at least 1");
        }
    }

    /**
     * Certificates of rounds [fromRound, toRoundExclusive).
     *
     * @param highestRound the responder's highest stored round, so the requester knows whether to continue
     */
    record RangeResponse(long fromRound, long toRoundExclusive, long highestRound, List<Certificate> certificates)
            implements PeerMessage {
        public RangeResponse {
            if (fromRound < 0 || highestRound < 0) {
                throw new IllegalArgumentException("rounds must be non-negative");
            }
            if (toRoundExclusive < fromRound) {
                throw new IllegalArgumentException("range [" + fromRound + ", " + toRoundExclusive + ") is reversed");
            }
            certificates = List.copyOf(certificates);
        }
    }

    /** A validator with an empty database asks what it could join from (before its loop opens). */
    record CheckpointRequest() implements PeerMessage {}

    /**
     * What this validator can give a joining one.
     *
     * @param lowestRound  lowest round of the certificates it stores (0: none); above 1, it pruned history
     * @param highestRound highest round of its DAG (0 while it is itself joining)
     * @param checkpoint   its latest stored checkpoint frame (compressed, checksummed), empty when it has none
     */
    record CheckpointOffer(long lowestRound, long highestRound, byte[] checkpoint) implements PeerMessage {
        public CheckpointOffer {
            if (lowestRound < 0 || highestRound < 0) throw new IllegalArgumentException("rounds must be non-negative");
            checkpoint = checkpoint.clone();
        }

        public boolean hasCheckpoint() {
            return checkpoint.length > 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CheckpointOffer x && x.lowestRound == lowestRound && x.highestRound == highestRound
                    && java.util.Arrays.equals(x.checkpoint, checkpoint);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(lowestRound) * 31 + java.util.Arrays.hashCode(checkpoint);
        }

        @Override
        public String toString() {
            return "CheckpointOffer[lowestRound=" + lowestRound + ", highestRound=" + highestRound + ", checkpoint="
                    + checkpoint.length + " bytes]";
        }
    }

    /** What is the digest of your consensus state right after commit {@code commitIndex}? */
    record StateRequest(long commitIndex) implements PeerMessage {
        public StateRequest {
            if (commitIndex < 1) throw new IllegalArgumentException("commitIndex must be at least 1");
        }
    }

    /**
     * A validator's answer to a {@link StateRequest}: the digest of its consensus state after that
     * commit, derived from its own commit log, or empty when it cannot say (not there yet, or failed).
     */
    record StateVouch(long commitIndex, java.util.Optional<Digest> stateDigest) implements PeerMessage {
        public StateVouch {
            if (commitIndex < 1) throw new IllegalArgumentException("commitIndex must be at least 1");
            Objects.requireNonNull(stateDigest, "stateDigest");
        }
    }

    /**
     * Entries of the transaction window right after commit {@code commitIndex}, from position
     * {@code fromPosition} on (0: from the window's start), at most {@code maxEntries}: a validator
     * joining from a checkpoint needs the window, or it would output again what the others skip.
     */
    record WindowRequest(long commitIndex, long fromPosition, int maxEntries) implements PeerMessage {
        public WindowRequest {
            if (commitIndex < 1) throw new IllegalArgumentException("commitIndex must be at least 1");
            if (fromPosition < 0) throw new IllegalArgumentException("fromPosition must not be negative");
            if (maxEntries < 1) throw new IllegalArgumentException("maxEntries must be at least 1");
        }
    }

    /** One output transaction of a window and the commit that output it. */
    record WindowEntry(long commitIndex, Digest digest) {}

    /**
     * A page of the transaction window after {@code commitIndex}: the window ends at position
     * {@code outputEnd} and starts at {@code windowStart}; {@code entries} are positions
     * {@code firstPosition ..}. Not {@code available} when this validator's rows do not cover it.
     */
    record WindowPage(long commitIndex, boolean available, long outputEnd, long windowStart, long firstPosition,
                      List<WindowEntry> entries) implements PeerMessage {
        public WindowPage {
            if (commitIndex < 1) throw new IllegalArgumentException("commitIndex must be at least 1");
            entries = List.copyOf(entries);
            if (available && (windowStart < 1 || firstPosition < windowStart || firstPosition + entries.size() - 1 > outputEnd)) {
                throw new IllegalArgumentException("window page positions out of range");
            }
        }

        public static WindowPage unavailable(long commitIndex) {
            return new WindowPage(commitIndex, false, 0, 1, 1, List.of());
        }
    }

    /**
     * A validator that started without records asks how far the committee certified (safety rule 8):
     * it abstains from voting and proposing up to one round above the answer.
     */
    record SafeRoundRequest() implements PeerMessage {}

    /**
     * The answer: a certificate of the highest round in the responder's DAG, which proves that round
     * (empty when it holds nothing above genesis).
     */
    record SafeRoundAnswer(java.util.Optional<Certificate> highest) implements PeerMessage {
        public SafeRoundAnswer {
            Objects.requireNonNull(highest, "highest");
        }
    }
}
