package dev.shoal.sequencer.storage.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.storage.DelegatingStore;
import dev.shoal.sequencer.storage.SafetyRecordConflictException;
import dev.shoal.sequencer.storage.StoreFixtures;
import dev.shoal.sequencer.storage.WriteGroup;
import dev.shoal.sequencer.storage.memory.InMemoryStore;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GroupCommitPipelineTest {
    private static final Duration T = Duration.ofSeconds(20);

    @org.junit.jupiter.api.BeforeAll
    static void initialiseContextPropagation() {
        // Outside Quarkus, SmallRye context propagation initialises lazily and races when two
        // threads build their first Uni at once; do it once here, on one thread.
        org.eclipse.microprofile.context.spi.ContextManagerProvider.instance();
    }

    /** Records every group written and can hold or fail writes. */
    static class RecordingStore extends DelegatingStore {
        final List<Integer> groupSizes = new CopyOnWriteArrayList<>();
        final AtomicInteger failuresLeft = new AtomicInteger();
        volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

        RecordingStore() {
            super(new InMemoryStore());
        }

        @Override
        public Uni<Void> write(WriteGroup group) {
            return Uni.createFrom().completionStage(gate).chain(() -> {
                if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    return Uni.createFrom().failure(new IllegalStateException("database unavailable"));
                }
                groupSizes.add(group.size());
                return delegate.write(group);
            });
        }
    }

    private static WriteGroup batchGroup(int i) {
        return new WriteGroup().batch(StoreFixtures.batch(0, "tx-" + i));
    }

    @Test
    void mergesConcurrentSubmissionsIntoFewWrites() {
        RecordingStore store = new RecordingStore();
        store.gate = new CompletableFuture<>(); // hold the first write so the rest pile up
        try (var p = new GroupCommitPipeline(store, new PipelineSettings(1_000, Duration.ofMillis(20), 10_000,
                Duration.ofMillis(1), Duration.ofMillis(5)), PipelineListener.NONE)) {
            List<Uni<Void>> acks = new ArrayList<>();
            for (int i = 0; i < 200; i++) acks.add(p.submit(batchGroup(i)));
            acks.forEach(a -> a.subscribe().with(x -> { }));
            store.gate.complete(null);
            acks.forEach(a -> a.await().atMost(T));
            assertThat(store.groupSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(200);
            assertThat(store.groupSizes.size()).isLessThan(20);
            assertThat(store.delegate.metadata().await().atMost(T).totalBatches()).isEqualTo(200);
        }
    }

    @Test
    void aConflictingSafetyRecordFailsItsSubmissionAtOnceAndIsNeverRetried() {
        RecordingStore store = new RecordingStore();
        List<Long> delays = new CopyOnWriteArrayList<>();
        PipelineListener listener = new PipelineListener() {
            @Override
            public void writeFailed(Throwable cause, int attempt, long delayMillis) {
                delays.add(delayMillis);
            }
        };
        var h1 = Header.of(0, 5, 0, 1_000, List.of(StoreFixtures.batch(0, "first").digest()), List.of());
        var h2 = Header.of(0, 5, 0, 1_000, List.of(StoreFixtures.batch(0, "second").digest()), List.of());
        try (var p = new GroupCommitPipeline(store, new PipelineSettings(1, Duration.ofMillis(1), 100,
                Duration.ofMillis(1), Duration.ofMillis(5)), listener)) {
            p.submit(new WriteGroup().ownHeader(h1)).await().atMost(T);
            assertThatThrownBy(() -> p.submit(new WriteGroup().ownHeader(h2)).await().atMost(T))
                    .satisfies(e -> assertThat(SafetyRecordConflictException.in(e)).isTrue());
            assertThat(delays).containsExactly(-1L);
            assertThat(p.healthy()).as("a conflict is not a database outage").isTrue();
            p.submit(batchGroup(1)).await().atMost(T); // the next group is written as usual
            assertThat(p.waitingRecords()).isZero();
        }
    }

    @Test
    void encodesTheNextFullGroupWhileTheCurrentWriteIsInFlightAndKeepsSubmissionOrder() {
        List<String> events = new CopyOnWriteArrayList<>();
        RecordingStore store = new RecordingStore() {
            @Override
            public dev.shoal.sequencer.storage.PreparedWrite prepare(WriteGroup group) {
                events.add("prepare " + firstTransaction(group));
                return () -> {
                    events.add("execute " + firstTransaction(group));
                    return write(group).invoke(() -> events.add("durable " + firstTransaction(group)));
                };
            }
        };
        store.gate = new CompletableFuture<>(); // the first write stays in flight
        try (var p = new GroupCommitPipeline(store, new PipelineSettings(5, Duration.ofHours(1), 100,
                Duration.ofMillis(1), Duration.ofMillis(5)), PipelineListener.NONE)) {
            List<Uni<Void>> acks = new ArrayList<>();
            for (int i = 0; i < 12; i++) acks.add(p.submit(batchGroup(i))); // groups of 5, 5, and 2 waiting
            acks.forEach(a -> a.subscribe().with(x -> { }));
            long deadline = System.nanoTime() + T.toNanos();
            while (!events.contains("prepare tx-5") && System.nanoTime() < deadline) Thread.onSpinWait();
            assertThat(events).as("the second group is encoded while the first is still being written")
                    .containsExactly("prepare tx-0", "execute tx-0", "prepare tx-5");
            store.gate.complete(null);
            acks.forEach(a -> a.await().atMost(T));
            assertThat(events).containsExactly("prepare tx-0", "execute tx-0", "prepare tx-5", "durable tx-0", "execute tx-5",
                    "durable tx-5", "prepare tx-10", "execute tx-10", "durable tx-10");
            assertThat(store.groupSizes).containsExactly(5, 5, 2);
        }
    }

    private static String firstTransaction(WriteGroup g) {
        return new String(g.batches().get(0).transactions().get(0).payload(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void flushesAtTheGroupSizeWithoutWaitingForTheInterval() {
        RecordingStore store = new RecordingStore();
        try (var p = new GroupCommitPipeline(store, new PipelineSettings(5, Duration.ofHours(1), 100,
                Duration.ofMillis(1), Duration.ofMillis(5)), PipelineListener.NONE)) {
            List<Uni<Void>> acks = new ArrayList<>();
            for (int i = 0; i < 5; i++) acks.add(p.submit(batchGroup(i)));
            acks.forEach(a -> a.await().atMost(T));
            assertThat(store.groupSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(5);
        }
    }

    @Test
    void retriesFailedWritesAndReportsStorageHealth() {
        RecordingStore store = new RecordingStore();
        store.failuresLeft.set(3);
        List<Boolean> health = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failures = new AtomicInteger();
        PipelineListener listener = new PipelineListener() {
            @Override public void storageHealth(boolean healthy) { health.add(healthy); }
            @Override public void writeFailed(Throwable cause, int attempt, long delayMillis) { failures.incrementAndGet(); }
        };
        try (var p = new GroupCommitPipeline(store, new PipelineSettings(10, Duration.ofMillis(1), 100,
                Duration.ofMillis(1), Duration.ofMillis(4)), listener)) {
            Batch b = StoreFixtures.batch(1, "only-once");
            p.submit(new WriteGroup().batch(b)).await().atMost(T);
            assertThat(failures.get()).isEqualTo(3);
            assertThat(health).containsExactly(false, true);
            assertThat(p.healthy()).isTrue();
            assertThat(store.delegate.batch(b.digest()).await().atMost(T)).isPresent();
            assertThat(store.delegate.metadata().await().atMost(T).totalTransactions()).isEqualTo(1);
        }
    }

    @Test
    void rejectsSubmissionsBeyondCapacityUntilWritesDrain() {
        RecordingStore store = new RecordingStore();
        store.gate = new CompletableFuture<>();
        try (var p = new GroupCommitPipeline(store, new PipelineSettings(4, Duration.ZERO, 8,
                Duration.ofMillis(1), Duration.ofMillis(5)), PipelineListener.NONE)) {
            List<Uni<Void>> acks = new ArrayList<>();
            for (int i = 0; i < 8; i++) acks.add(p.submit(batchGroup(i)));
            acks.forEach(a -> a.subscribe().with(x -> { }));
            assertThatThrownBy(() -> p.submit(batchGroup(99)).await().atMost(T)).isInstanceOf(PipelineFullException.class);
            store.gate.complete(null);
            acks.forEach(a -> a.await().atMost(T));
            p.submit(batchGroup(100)).await().atMost(T);
            assertThat(p.waitingRecords()).isZero();
        }
    }

    @Test
    void acknowledgesInSubmissionOrder() {
        RecordingStore store = new RecordingStore();
        List<Integer> order = new CopyOnWriteArrayList<>();
        try (var p = new GroupCommitPipeline(store, new PipelineSettings(3, Duration.ofMillis(1), 1_000,
                Duration.ofMillis(1), Duration.ofMillis(5)), PipelineListener.NONE)) {
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int n = i;
                acks.add(p.submit(batchGroup(i)).invoke(() -> order.add(n)).subscribeAsCompletionStage());
            }
            CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join();
            assertThat(order).isSorted().hasSize(50);
        }
    }
}
