package dev.shoal.sequencer.storage;

import dev.shoal.sequencer.core.validator.PersistRecord.VoteRecord;
import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything one group commit makes durable, in one database transaction. Writes are
 * idempotent (a retry of a group that did reach the disk changes nothing and counts nothing
 * twice), so the pipeline can retry a group whose outcome it does not know.
 * Commits mark their certificates committed in the same transaction (safety rule 4).
 */
public final class WriteGroup {
    private final List<Certificate> certificates = new ArrayList<>();
    private final List<Batch> batches = new ArrayList<>();
    private final List<Map.Entry<Digest, Digest>> batchLinks = new ArrayList<>();
    private final List<Header> ownHeaders = new ArrayList<>();
    private final List<VoteRecord> votes = new ArrayList<>();
    private final List<CommitRecord> commits = new ArrayList<>();
    private long currentRound = -1;
    private long lastAnchorRound = -1;

    public WriteGroup certificate(Certificate c) { certificates.add(c); return this; }
    public WriteGroup batch(Batch b) { batches.add(b); return this; }
    /** Links a batch to the certificate whose header references it (first link wins). */
    public WriteGroup batchLink(Digest batch, Digest certificate) { batchLinks.add(Map.entry(batch, certificate)); return this; }
    public WriteGroup ownHeader(Header h) { ownHeaders.add(h); return this; }
    public WriteGroup vote(VoteRecord v) { votes.add(v); return this; }
    public WriteGroup commit(CommitRecord c) { commits.add(c); return this; }
    /** Raises the metadata's current round (never lowers it). */
    public WriteGroup currentRound(long round) { currentRound = Math.max(currentRound, round); return this; }
    /** Raises the metadata's last anchor round (never lowers it). */
    public WriteGroup lastAnchorRound(long round) { lastAnchorRound = Math.max(lastAnchorRound, round); return this; }

    /** Appends another group's content, for group commit. */
    public WriteGroup addAll(WriteGroup o) {
        // Most submissions fill one or two lists; addAll of an empty list still copies it to an array.
        if (!o.certificates.isEmpty()) certificates.addAll(o.certificates);
        if (!o.batches.isEmpty()) batches.addAll(o.batches);
        if (!o.batchLinks.isEmpty()) batchLinks.addAll(o.batchLinks);
        if (!o.ownHeaders.isEmpty()) ownHeaders.addAll(o.ownHeaders);
        if (!o.votes.isEmpty()) votes.addAll(o.votes);
        if (!o.commits.isEmpty()) commits.addAll(o.commits);
        currentRound(o.currentRound);
        lastAnchorRound(o.lastAnchorRound);
        return this;
    }

    public List<Certificate> certificates() { return certificates; }
    public List<Batch> batches() { return batches; }
    public List<Map.Entry<Digest, Digest>> batchLinks() { return batchLinks; }
    public List<Header> ownHeaders() { return ownHeaders; }
    public List<VoteRecord> votes() { return votes; }
    public List<CommitRecord> commits() { return commits; }
    /** -1 when the group does not move it. */
    public long currentRound() { return currentRound; }
    /** -1 when the group does not move it. */
    public long lastAnchorRound() { return lastAnchorRound; }

    /** Number of records, the unit of the pipeline's group-size limit. */
    public int size() {
        return certificates.size() + batches.size() + batchLinks.size() + ownHeaders.size() + votes.size() + commits.size();
    }

    public boolean isEmpty() {
        return size() == 0 && currentRound < 0 && lastAnchorRound < 0;
    }
}
