package dev.shoal.sequencer.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.types.Transaction;
import dev.shoal.sequencer.recovery.RecoveredNode;
import dev.shoal.sequencer.recovery.RecoveryResult;
import dev.shoal.sequencer.recovery.RecoveryStrategy;
import dev.shoal.sequencer.storage.StoreFixtures;
import dev.shoal.sequencer.storage.WriteGroup;
import dev.shoal.sequencer.storage.memory.InMemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mempool's dedup window after a restart: the transactions of our own durable batches of recent
 * rounds (certified, in our headers, or not yet proposed), newest last, nobody else's.
 */
class RecentTransactionsTest {
    private static final int SELF = 0;
    private static final long HIGHEST = 1_500;
    /** The oldest round still read: HIGHEST - RESUBMISSION_ROUNDS. */
    private static final long OLDEST = HIGHEST - RecentTransactions.RESUBMISSION_ROUNDS;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final StoreFixtures fx = new StoreFixtures(7);
    private final InMemoryStore store = new InMemoryStore();
    private final Batch tooOld = StoreFixtures.batch(SELF, "too-old");
    private final Batch oldest = StoreFixtures.batch(SELF, "oldest-1", "oldest-2");
    private final Batch certified = StoreFixtures.batch(SELF, "certified-1", "certified-2");
    private final Batch others = StoreFixtures.batch(1, "others");
    private final Batch headerTooOld = StoreFixtures.batch(SELF, "header-too-old");
    private final Batch inHeader = StoreFixtures.batch(SELF, "in-header");
    private final Batch unproposed = StoreFixtures.batch(SELF, "unproposed");

    @BeforeEach
    void storeHistory() {
        WriteGroup g = new WriteGroup();
        for (Batch b : List.of(tooOld, oldest, certified, others, headerTooOld, inHeader, unproposed)) g.batch(b);
        g.certificate(fx.certificate(SELF, OLDEST - 1, List.of(), List.of(tooOld.digest())));
        g.certificate(fx.certificate(SELF, OLDEST, List.of(), List.of(oldest.digest())));
        g.certificate(fx.certificate(SELF, 1_400, List.of(), List.of(certified.digest())));
        g.certificate(fx.certificate(1, 1_450, List.of(), List.of(others.digest())));
        g.ownHeader(ownHeader(OLDEST - 1, headerTooOld));
        g.ownHeader(ownHeader(1_400, certified)); // the header of the certificate above: counted once
        g.ownHeader(ownHeader(HIGHEST, inHeader));
        store.write(g).await().atMost(TIMEOUT);
    }

    private Header ownHeader(long round, Batch batch) {
        return Header.of(fx.committee.epoch(), round, SELF, round, List.of(batch.digest()), List.of());
    }

    private RecentTransactions.Result read(int window) {
        RecoveryResult result = new RecoveryResult(RecoveryStrategy.FROM_SCRATCH, RecoveryStrategy.FROM_SCRATCH, Optional.empty(),
                4, 0, HIGHEST, 0, 1, Optional.empty());
        RecoveredNode recovered = new RecoveredNode(null, null, 0, List.of(unproposed.digest()), result, 1);
        return RecentTransactions.read(store, SELF, recovered, window, TIMEOUT);
    }

    private static List<Digest> txs(String... payloads) {
        return Arrays.stream(payloads).map(p -> Transaction.of(p.getBytes(StandardCharsets.UTF_8)).digest()).toList();
    }

    @Test
    void readsOurRecentBatchesOnlyOldestFirst() {
        RecentTransactions.Result r = read(100);
        assertThat(r.transactions()).containsExactlyElementsOf(
                txs("oldest-1", "oldest-2", "certified-1", "certified-2", "in-header", "unproposed"));
        assertThat(r.batches()).as("oldest, certified, in-header, unproposed").isEqualTo(4);
    }

    @Test
    void keepsOnlyTheNewestWindowOfTransactions() {
        assertThat(read(3).transactions()).containsExactlyElementsOf(txs("certified-2", "in-header", "unproposed"));
    }
}
