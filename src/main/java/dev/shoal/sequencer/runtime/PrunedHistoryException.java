package dev.shoal.sequencer.runtime;

/**
 * A commit whose certificates are no longer stored: with {@code sequencer.checkpoint.archive=false}
 * the node deletes certificates and batches below the oldest kept checkpoint's GC round, so the
 * commit log's early entries can no longer be resolved into transactions; a node that joined from a
 * peer's checkpoint never held the commits below it. Maps to 410 Gone.
 */
public final class PrunedHistoryException extends RuntimeException {

    public PrunedHistoryException(long commitIndex) {
        this("commit " + commitIndex + " can no longer be read: this node prunes its history"
                + " (sequencer.checkpoint.archive=false) and its certificates are gone; read later commits, or a node that archives");
    }

    private PrunedHistoryException(String message) {
        super(message);
    }

    /** A commit below the checkpoint this node joined from: it never held it. */
    public static PrunedHistoryException beforeJoin(long commitIndex, long firstHeld) {
        return new PrunedHistoryException("commit " + commitIndex + " is not held here: this node joined the committee"
                + " from a peer's checkpoint and its commit log starts at commit " + firstHeld + "; read later commits, or a node that archives");
    }
}
