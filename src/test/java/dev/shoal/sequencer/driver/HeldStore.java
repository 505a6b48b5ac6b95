package dev.shoal.sequencer.driver;

import dev.shoal.sequencer.storage.DelegatingStore;
import dev.shoal.sequencer.storage.WriteGroup;
import dev.shoal.sequencer.storage.memory.InMemoryStore;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-memory store whose writes reach it only once the test calls {@link #release()}: a database that is slow or down. */
final class HeldStore extends DelegatingStore {
    private final CompletableFuture<Void> gate = new CompletableFuture<>();
    /** Every group the pipeline tried to write, held or not. */
    final List<WriteGroup> attempted = new CopyOnWriteArrayList<>();

    HeldStore() {
        super(new InMemoryStore());
    }

    @Override
    public Uni<Void> write(WriteGroup group) {
        attempted.add(group);
        return Uni.createFrom().completionStage(() -> gate.thenCompose(v -> delegate.write(group).subscribeAsCompletionStage()));
    }

    void release() {
        gate.complete(null);
    }
}
