package dev.shoal.sequencer.core.validator;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counters of one validator state machine: rejected inputs by reason (docs/safety.md, rule 6) and a few
 * activity counts. In-memory metrics only; they restart from zero after a restore.
 */
public final class ValidatorStats {
    private final EnumMap<RejectReason, Long> rejected = new EnumMap<>(RejectReason.class);
    private long headersProposed;
    private long votesSent;
    private long certificatesFormed;
    private long certificatesAccepted;
    private long duplicates;
    private long headersAbandoned;
    private long idleWaits;
    private long abstentions;
    private long certificatesOrphaned;

    void reject(RejectReason reason) {
        rejected.merge(reason, 1L, Long::sum);
    }

    void headerProposed() { headersProposed++; }
    void voteSent() { votesSent++; }
    void certificateFormed() { certificatesFormed++; }
    void certificateAccepted() { certificatesAccepted++; }
    void duplicate() { duplicates++; }
    void headerAbandoned() { headersAbandoned++; }
    void idleWait() { idleWaits++; }
    void abstained() { abstentions++; }
    void certificateOrphaned() { certificatesOrphaned++; }

    /** Rejections by reason; reasons never seen are absent. */
    public Map<RejectReason, Long> rejected() {
        return Collections.unmodifiableMap(new EnumMap<>(rejected));
    }

    public long rejected(RejectReason reason) {
        return rejected.getOrDefault(reason, 0L);
    }

    public long totalRejected() {
        long n = 0;
        for (long v : rejected.values()) n += v;
        return n;
    }

    public long headersProposed() { return headersProposed; }
    /** Own headers superseded before they were certified (their batches went into a later header). */
    public long headersAbandoned() { return headersAbandoned; }
    /** Rounds whose proposal waited for the idle header interval (no work in sight). */
    public long idleWaits() { return idleWaits; }

    /** Votes and proposals left out because their round may have been used before our records were lost. */
    public long abstentions() { return abstentions; }
    /** Own certificates the commit rule skipped for good (no later certificate referenced them); their batches were proposed again. */
    public long certificatesOrphaned() { return certificatesOrphaned; }
    public long votesSent() { return votesSent; }
    public long certificatesFormed() { return certificatesFormed; }
    public long certificatesAccepted() { return certificatesAccepted; }
    /** Headers, votes and certificates received again (retransmissions); not an error. */
    public long duplicates() { return duplicates; }

    @Override
    public String toString() {
        return "ValidatorStats[proposed=" + headersProposed + " votes=" + votesSent + " formed=" + certificatesFormed
                + " accepted=" + certificatesAccepted + " duplicates=" + duplicates + " rejected=" + rejected + "]";
    }
}
