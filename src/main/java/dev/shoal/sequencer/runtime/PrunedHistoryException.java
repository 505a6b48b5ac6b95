package dev.shoal.sequencer.runtime;

/**
 * A commit this node no longer holds, or never did: its retention policy deleted it, or its
 * certificates (sequencer.retention.*), or the node joined from a peer's checkpoint above it. Maps
 * to 410 Gone.
 */
public final class PrunedHistoryException extends RuntimeException {

    public PrunedHistoryException(long commitIndex) {
        this("commit " + commitIndex + " can no longer be read: this node prunes its history (sequencer.retention.*) and its"
                + " certificates are gone; read later commits, or a node that archives (sequencer.retention.archive=true)");
    }

    private PrunedHistoryException(String message) {
        super(message);
    }

    /** A commit below the first this node holds. */
    public static PrunedHistoryException notHeld(long commitIndex, long firstHeld) {
        return new PrunedHistoryException("commit " + commitIndex + " is not held here: this node's commit log starts at commit "
                + firstHeld + " (older history is pruned by its retention policy, sequencer.retention.*, or it joined from a peer's"
                + " checkpoint); read later commits, or a node that archives (sequencer.retention.archive=true)");
    }
}
