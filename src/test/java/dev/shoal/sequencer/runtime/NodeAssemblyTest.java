package dev.shoal.sequencer.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.shoal.sequencer.config.SequencerConfig;
import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Transaction;
import dev.shoal.sequencer.core.types.Validator;
import dev.shoal.sequencer.node.NodeIdentity;
import dev.shoal.sequencer.node.NodeLifecycle;
import dev.shoal.sequencer.storage.CommitTransactions;
import dev.shoal.sequencer.storage.memory.InMemoryStore;
import dev.shoal.sequencer.worker.Admission;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The wiring step on its own, for a committee of one on the in-memory store: the assembled node
 * admits a transaction, commits it and publishes it to the commit feed only once its decision is
 * stored; a second assembly on the same store recovers what the first committed and publishes it
 * again from the store, not from memory.
 */
class NodeAssemblyTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final KeyPair key = KeyPair.deterministic(new Random(11));
    private final NodeIdentity identity = new NodeIdentity(key,
            new Committee(0, List.of(new Validator("solo", key.publicKey(), 1, "127.0.0.1:9000"))), 0, true, "test");
    private final SequencerConfig config = defaults();
    private final InMemoryStore store = new InMemoryStore();
    private final CompletableFuture<Throwable> fatal = new CompletableFuture<>();

    @BeforeAll
    static void initialiseContextPropagation() {
        org.eclipse.microprofile.context.spi.ContextManagerProvider.instance();
    }

    static SequencerConfig defaults() {
        return configured(Map.of());
    }

    static SequencerConfig configured(Map<String, String> properties) {
        SmallRyeConfig c = new SmallRyeConfigBuilder().withMapping(SequencerConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 300)).build();
        return c.getConfigMapping(SequencerConfig.class);
    }

    @Test
    void theIdleHeaderIntervalIsPositiveAndAtLeastTheMinimumHeaderInterval() {
        assertThat(NodeAssembly.validatorConfig(defaults()).idleHeaderIntervalMs()).isEqualTo(10_000);
        assertThat(NodeAssembly.validatorConfig(defaults()).minHeaderIntervalMs()).isEqualTo(50);
        for (String idle : List.of("0s", "10ms")) {
            SequencerConfig c = configured(Map.of("sequencer.consensus.idle-header-interval", idle));
            assertThatThrownBy(() -> NodeAssembly.validatorConfig(c))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sequencer.consensus.idle-header-interval");
        }
        SequencerConfig same = configured(Map.of("sequencer.consensus.idle-header-interval", "50ms"));
        assertThat(NodeAssembly.validatorConfig(same).idleHeaderIntervalMs()).isEqualTo(50);
    }

    @Test
    void theDedupWindowIsBetweenZeroAndTenMillion() {
        assertThat(NodeAssembly.batchSettings(defaults()).dedupWindow()).isEqualTo(1_000_000);
        assertThat(NodeAssembly.batchSettings(configured(Map.of("sequencer.batch.dedup-window", "0"))).dedupWindow()).isZero();
        for (String bad : new String[] {"-1", "10000001"}) {
            assertThatThrownBy(() -> NodeAssembly.batchSettings(configured(Map.of("sequencer.batch.dedup-window", bad))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sequencer.batch.dedup-window (" + bad + ")");
        }
    }

    @Test
    void theUnorderedTransactionLimitIsPositive() {
        assertThat(NodeAssembly.orderingBacklog(defaults(), 0).limit()).isEqualTo(10_000);
        assertThatThrownBy(() -> NodeAssembly.orderingBacklog(configured(Map.of("sequencer.batch.max-unordered-transactions", "0")), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sequencer.batch.max-unordered-transactions");
    }

    private RunningNode assemble(CommitFeed feed) {
        NodeLifecycle lifecycle = new NodeLifecycle();
        lifecycle.beginRecovery();
        feed.storeChosen(store);
        // No Vert.x: a committee of one builds no peer side.
        return new NodeAssembly(identity, lifecycle, config, new SimpleMeterRegistry(), null, feed, fatal::complete).assemble(store);
    }

    @Test
    void anAssembledNodeCommitsWhatItAdmitsAndPublishesItOnlyOnceItsDecisionIsStored() {
        CommitFeed feed = new CommitFeed();
        List<Long> wakeUps = new ArrayList<>();
        feed.publishedIndexes().subscribe().with(wakeUps::add);
        Transaction tx = Transaction.of("hello".getBytes(StandardCharsets.UTF_8));
        try (RunningNode node = assemble(feed)) {
            assertThat(node.peers()).as("a committee of one has no peer side").isEmpty();
            assertThat(feed.firstHeldCommit()).isEqualTo(1);
            List<Admission> admitted = node.mempool().submit(List.of(tx)).await().atMost(WAIT);
            assertThat(admitted).extracting(Admission::status).containsExactly(Admission.Status.ACCEPTED);
            long at = await().atMost(WAIT).until(() -> commitOf(tx.digest(), feed.publishedIndex()), i -> i > 0);
            assertThat(at).isLessThanOrEqualTo(feed.publishedIndex());
            assertThat(wakeUps).as("a wake-up for every published commit, in order").isSorted().contains(feed.publishedIndex());
        }
        assertThat(fatal).isNotDone();
    }

    @Test
    void aSecondAssemblyOnTheSameStoreRecoversTheCommittedLog() {
        Transaction tx = Transaction.of("survives".getBytes(StandardCharsets.UTF_8));
        CommitFeed first = new CommitFeed();
        long committedIn;
        try (RunningNode node = assemble(first)) {
            node.mempool().submit(List.of(tx)).await().atMost(WAIT);
            committedIn = await().atMost(WAIT).until(() -> commitOf(tx.digest(), first.publishedIndex()), i -> i > 0);
        }
        CommitFeed second = new CommitFeed();
        try (RunningNode node = assemble(second)) {
            assertThat(second.publishedIndex()).as("published again from the stored log at start-up").isGreaterThanOrEqualTo(committedIn);
            assertThat(commitOf(tx.digest(), second.publishedIndex())).isEqualTo(committedIn);
            List<Admission> again = node.mempool().submit(List.of(tx)).await().atMost(WAIT);
            assertThat(again).extracting(Admission::status).as("the output window survives the restart")
                    .containsExactly(Admission.Status.COMMITTED);
        }
        assertThat(fatal).isNotDone();
    }

    /** The commit (at most {@code upTo}) whose output holds the transaction, or 0. */
    private long commitOf(Digest tx, long upTo) {
        if (upTo < 1) return 0;
        for (CommitTransactions row : store.commitTransactions(1, (int) upTo).await().atMost(WAIT)) {
            if (row.output().contains(tx)) return row.commitIndex();
        }
        return 0;
    }
}
