package dev.shoal.sequencer.runtime;

/**
 * A commit whose certificates are no longer stored: with {@code sequencer.checkpoint.archive=false}
 * the node deletes certificates and batches below the oldest kept checkpoint's GC round, so the
 * commit log's early entries can no longer be resolved into transactions. Maps to 410 Gone.
 */
public final class PrunedHistoryException extends RuntimeException {
    private final long commitIndex;

    public PrunedHistoryException(long commitIndex) {
        super("commit " + commitIndex + " can no longer be read: this node prunes its history"
                + " (sequencer.checkpoint.archive=false) and its certificates are gone; read later commits, or a node that archives");
        this.commitIndex = commitIndex;
    }

    public long commitIndex() {
        return commitIndex;
    }
}
