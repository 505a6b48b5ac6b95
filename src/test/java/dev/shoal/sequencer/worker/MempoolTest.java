package dev.shoal.sequencer.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.sequencer.core.consensus.CommittedSubDag;
import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.types.SignerBitmap;
import dev.shoal.sequencer.core.types.Transaction;
import dev.shoal.sequencer.storage.BatchSummary;
import dev.shoal.sequencer.storage.memory.InMemoryStore;
import dev.shoal.sequencer.storage.pipeline.GroupCommitPipeline;
import dev.shoal.sequencer.storage.pipeline.PipelineListener;
import dev.shoal.sequencer.storage.pipeline.PipelineSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MempoolTest {
    private static final Duration T = Duration.ofSeconds(20);

    @BeforeAll
    static void initialiseContextPropagation() {
        org.eclipse.microprofile.context.spi.ContextManagerProvider.instance();
    }

    private static Transaction tx(String s) {
        return Transaction.of(s.getBytes(StandardCharsets.UTF_8));
    }

    private static GroupCommitPipeline pipeline(InMemoryStore store) {
        return new GroupCommitPipeline(store, new PipelineSettings(100, Duration.ofMillis(1), 10_000,
                Duration.ofMillis(1), Duration.ofMillis(5)), PipelineListener.NONE);
    }

    @Test
    void acknowledgesOnlyAfterTheBatchIsDurableAndAnnouncesIt() {
        InMemoryStore store = new InMemoryStore();
        List<Digest> announced = new CopyOnWriteArrayList<>();
        try (var p = pipeline(store);
             var m = new Mempool(0, 0, new BatchSettings(3, 1 << 20, Duration.ofMillis(10), 1000, 1000), p, b -> announced.add(b.digest()))) {
            m.submit(List.of(tx("a"), tx("b"), tx("c"), tx("d"))).await().atMost(T);
            List<BatchSummary> batches = store.batches(Optional.empty(), false, 100).await().atMost(T);
            assertThat(batches).extracting(BatchSummary::transactionCount).containsExactlyInAnyOrder(3, 1);
            assertThat(announced).containsExactlyInAnyOrderElementsOf(batches.stream().map(BatchSummary::digest).toList());
            assertThat(m.pending()).isZero();
        }
    }

    @Test
    void eachBatchIsAnnouncedAsSealedBeforeItIsAnnouncedAsDurable() {
        InMemoryStore store = new InMemoryStore();
        List<String> events = new CopyOnWriteArrayList<>();
        try (var p = pipeline(store);
             var m = new Mempool(0, 0, new BatchSettings(2, 1 << 20, Duration.ofMillis(10), 1000, 1000), p,
                     b -> events.add("sealed " + b.digest()), b -> events.add("durable " + b.digest()), d -> 0)) {
            m.submit(List.of(tx("a"), tx("b"), tx("c"), tx("d"))).await().atMost(T);
            List<BatchSummary> batches = store.batches(Optional.empty(), false, 100).await().atMost(T);
            assertThat(batches).hasSize(2);
            for (BatchSummary b : batches) {
                assertThat(events.indexOf("sealed " + b.digest())).as("sealed is announced, once").isNotNegative()
                        .isLessThan(events.indexOf("durable " + b.digest()));
            }
            assertThat(events).hasSize(4);
        }
    }

    @Test
    void resubmissionIsAcknowledgedWithoutBeingPackedAgain() {
        InMemoryStore store = new InMemoryStore();
        try (var p = pipeline(store);
             var m = new Mempool(0, 0, new BatchSettings(10, 1 << 20, Duration.ofMillis(5), 1000, 1000), p, d -> { })) {
            assertThat(m.submit(List.of(tx("same"))).await().atMost(T)).extracting(Admission::status)
                    .containsExactly(Admission.Status.ACCEPTED);
            assertThat(m.submit(List.of(tx("same"), tx("same"))).await().atMost(T)).extracting(Admission::status)
                    .containsExactly(Admission.Status.DUPLICATE, Admission.Status.DUPLICATE);
            assertThat(store.metadata().await().atMost(T).totalTransactions()).isEqualTo(1);
        }
    }

    /** The window holds the last dedupWindow durable transactions: an older one is accepted (and packed) again. */
    @Test
    void theDedupWindowForgetsTheOldestDurableTransactions() {
        InMemoryStore store = new InMemoryStore();
        List<Batch> packed = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var p = pipeline(store);
             var m = new Mempool(0, 0, new BatchSettings(10, 1 << 20, Duration.ofMillis(5), 1000, 2), p, packed::add)) {
            for (String label : List.of("a", "b", "c")) m.submit(List.of(tx(label))).await().atMost(T);
            assertThat(m.submit(List.of(tx("c"), tx("b"))).await().atMost(T)).extracting(Admission::status)
                    .containsExactly(Admission.Status.DUPLICATE, Admission.Status.DUPLICATE);
            assertThat(m.submit(List.of(tx("a"))).await().atMost(T)).extracting(Admission::status)
                    .as("a is the oldest of three in a window of two").containsExactly(Admission.Status.ACCEPTED);
            assertThat(packed).as("a packed twice, in a fourth batch").hasSize(4);
        }
    }

    /** A copy submitted while the first is still being made durable is acknowledged with it, not packed. */
    @Test
    void aResubmissionBeforeTheFirstCopyIsDurableWaitsForItsAcknowledgement() {
        InMemoryStore store = new InMemoryStore();
        try (var p = pipeline(store);
             var m = new Mempool(0, 0, new BatchSettings(100, 1 << 20, Duration.ofMillis(200), 1000, 1000), p, d -> { })) {
            var first = m.submit(List.of(tx("slow"))).subscribeAsCompletionStage();
            var second = m.submit(List.of(tx("slow"))).subscribeAsCompletionStage();
            assertThat(second.toCompletableFuture().join()).extracting(Admission::status).containsExactly(Admission.Status.DUPLICATE);
            assertThat(first.toCompletableFuture().join()).extracting(Admission::status).containsExactly(Admission.Status.ACCEPTED);
            assertThat(store.metadata().await().atMost(T).totalTransactions()).isEqualTo(1);
        }
    }

    /** A window of 0 turns deduplication off: every copy is packed (the output still carries it once). */
    @Test
    void aDedupWindowOfZeroPacksEveryCopy() {
        InMemoryStore store = new InMemoryStore();
        List<Batch> packed = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var p = pipeline(store);
             var m = new Mempool(0, 0, new BatchSettings(10, 1 << 20, Duration.ofMillis(5), 1000, 0), p, packed::add)) {
            m.submit(List.of(tx("twice"))).await().atMost(T);
            assertThat(m.submit(List.of(tx("twice"))).await().atMost(T)).extracting(Admission::status)
                    .containsExactly(Admission.Status.ACCEPTED);
            assertThat(packed).as("each copy in a batch of its own").hasSize(2);
        }
    }

    /** Sent to another validator first and already committed: acknowledged with its commit, never packed. */
    @Test
    void aTransactionTheOutputAlreadyCarriedIsAcknowledgedAsCommittedNotPacked() {
        InMemoryStore store = new InMemoryStore();
        Transaction committed = tx("committed elsewhere");
        try (var p = pipeline(store);
             var m = new Mempool(0, 0, new BatchSettings(10, 1 << 20, Duration.ofMillis(5), 1000, 1000), p, b -> { }, b -> { },
                     d -> d.equals(committed.digest()) ? 42 : 0)) {
            List<Admission> answer = m.submit(List.of(committed, tx("new"))).await().atMost(T);
            assertThat(answer).containsExactly(new Admission(Admission.Status.COMMITTED, 42), new Admission(Admission.Status.ACCEPTED, 0));
            assertThat(store.metadata().await().atMost(T).totalTransactions()).as("only the new one is packed").isEqualTo(1);
        }
    }

    @Test
    void refusesWhenTooManyAreWaiting() {
        InMemoryStore store = new InMemoryStore();
        try (var p = pipeline(store);
             var m = new Mempool(0, 0, new BatchSettings(100, 1 << 20, Duration.ofHours(1), 5, 1000), p, d -> { })) {
            List<Transaction> six = new ArrayList<>();
            for (int i = 0; i < 6; i++) six.add(tx("t" + i));
            assertThatThrownBy(() -> m.submit(six).await().atMost(T)).isInstanceOf(MempoolFullException.class);
        }
    }

    /**
     * Overload: acknowledged transactions the committee has not ordered are bounded. Beyond the
     * limit a request is refused (before any body is read, too); a commit listing the batch frees it.
     */
    @Test
    void refusesWhileTooManyAcknowledgedTransactionsWaitToBeOrdered() {
        InMemoryStore store = new InMemoryStore();
        OrderingBacklog backlog = new OrderingBacklog(0, 4);
        List<Batch> durable = new CopyOnWriteArrayList<>();
        try (var p = pipeline(store);
             var m = new Mempool(0, 0, new BatchSettings(3, 1 << 20, Duration.ofMillis(5), 1000, 1000), p,
                     b -> { }, durable::add, d -> 0, backlog)) {
            m.submit(List.of(tx("a"), tx("b"), tx("c"))).await().atMost(T);
            assertThat(backlog.transactions()).isEqualTo(3);
            m.refuseIfFull(); // one more fits
            assertThatThrownBy(() -> m.submit(List.of(tx("d"), tx("e"))).await().atMost(T))
                    .isInstanceOf(MempoolFullException.class).hasMessageContaining("wait to be ordered");
            m.submit(List.of(tx("d"))).await().atMost(T);
            assertThatThrownBy(m::refuseIfFull).isInstanceOf(MempoolFullException.class).hasMessageContaining("limit 4");

            // A peer's commit of the same digests frees nothing; ours (listing both batches) frees all.
            List<Digest> digests = durable.stream().map(Batch::digest).toList();
            backlog.committed(commit(1, 1, digests));
            assertThat(backlog.transactions()).isEqualTo(4);
            backlog.committed(commit(2, 0, digests));
            assertThat(backlog.transactions()).isZero();
            m.submit(List.of(tx("e"), tx("f"), tx("g"), tx("h"))).await().atMost(T);
        }
    }

    @Test
    void anEmptyBacklogAdmitsARequestLargerThanItsLimit() {
        InMemoryStore store = new InMemoryStore();
        try (var p = pipeline(store);
             var m = new Mempool(0, 0, new BatchSettings(10, 1 << 20, Duration.ofMillis(5), 1000, 1000), p,
                     b -> { }, b -> { }, d -> 0, new OrderingBacklog(0, 2))) {
            assertThat(m.submit(List.of(tx("a"), tx("b"), tx("c"))).await().atMost(T)).hasSize(3);
        }
    }

    private static CommittedSubDag commit(long index, int author, List<Digest> batches) {
        Header h = Header.of(0, 1, author, 0, batches, List.of());
        return new CommittedSubDag(index, List.of(new Certificate(h, SignerBitmap.EMPTY, List.of())), List.of(), List.of());
    }
}
