package dev.shoal.sequencer.storage;

import io.smallrye.mutiny.Uni;

/**
 * A write group already encoded for its store ({@link SequencerStore#prepare}); the database work
 * starts only when {@link #execute} is called, and its Uni completes once the group is durable.
 * Executed once: a retry prepares the group again.
 */
@FunctionalInterface
public interface PreparedWrite {
    Uni<Void> execute();
}
