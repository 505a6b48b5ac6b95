package dev.shoal.sequencer.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.sequencer.core.types.Digest;
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
}
