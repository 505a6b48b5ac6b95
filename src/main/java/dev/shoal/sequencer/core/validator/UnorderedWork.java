package dev.shoal.sequencer.core.validator;

import dev.shoal.sequencer.core.consensus.Consensus;
import dev.shoal.sequencer.core.dag.Dag;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import java.util.HashMap;
import java.util.Map;

/**
 * Batches the committee has yet to order, as far as this validator can tell besides its own
 * pending batches: certificates in the DAG that carry batches and are neither committed nor
 * skipped for good, and the highest round of a header carrying batches that we proposed or voted
 * for (its certificate may still be forming). While any is there, rounds run at full speed: the
 * batches are committed only once later rounds exist. Derived from what entered the DAG and the
 * commits, so a restore rebuilds it by the same replay.
 */
final class UnorderedWork {
    private final Dag dag;
    private final Consensus consensus;
    /** Certificates carrying batches, by digest, until the commit rule has ordered or passed over them. */
    private final Map<Digest, Certificate> certificates = new HashMap<>();
    /** Highest round of a header carrying batches that we proposed or voted for (-1: none). */
    private long headerRound = -1;

    UnorderedWork(Dag dag, Consensus consensus) {
        this.dag = dag;
        this.consensus = consensus;
    }

    /** A certificate entered the DAG (before the consensus saw it). */
    void certificateEntered(Certificate c) {
        if (!c.header().batchDigests().isEmpty() && c.round() > consensus.lastCommittedRound(c.author())) {
            certificates.put(c.digest(), c);
        }
    }

    /** A header we proposed or voted for. */
    void header(Header h) {
        if (!h.batchDigests().isEmpty()) headerRound = Math.max(headerRound, h.round());
    }

    /**
     * After commits and the GC they caused: a certificate at or below its author's last committed
     * round was ordered or is skipped forever (its author gives the batches back), as is one below
     * the GC round.
     */
    void afterCommits() {
        if (certificates.isEmpty()) return;
        long gc = dag.gcRound();
        certificates.values().removeIf(c -> c.round() <= consensus.lastCommittedRound(c.author()) || c.round() < gc);
    }

    /**
     * True while batches wait to be ordered. A header counts until we propose above its round:
     * by then its certificate is in the DAG (and counts), or it was never certified and its author
     * proposes the batches again.
     */
    boolean any(long ownRound) {
        return !certificates.isEmpty() || ownRound <= headerRound;
    }
}
