package dev.shoal.sequencer.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Transaction;
import dev.shoal.sequencer.storage.CommitRecord;
import dev.shoal.sequencer.storage.CommitTransactions;
import dev.shoal.sequencer.storage.SequencerStore;
import dev.shoal.sequencer.storage.WriteGroup;
import dev.shoal.sequencer.storage.memory.InMemoryStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Transaction-level exactly-once output: a transaction packed into several batches (by one
 * validator re-packing it, or by several validators it was sent to) is output once, the decision
 * is the same whoever decides it and across restarts, and a commit is published only with its row.
 */
class TransactionIndexerTest {
    private static final Duration T = Duration.ofSeconds(10);

    private static Transaction tx(String s) {
        return Transaction.of(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Batch batch(int author, String... txs) {
        List<Transaction> list = new ArrayList<>();
        for (String t : txs) list.add(tx(t));
        return new Batch(author, 0, list);
    }

    /** A store holding the batches, and the commits (each outputs its batches) in the log. */
    private static SequencerStore storeWith(List<List<Batch>> commits, int storedCommits) {
        InMemoryStore store = new InMemoryStore();
        WriteGroup g = new WriteGroup();
        for (List<Batch> c : commits) c.forEach(g::batch);
        for (int i = 0; i < storedCommits; i++) g.commit(record(i + 1, commits.get(i)));
        store.write(g).await().atMost(T);
        return store;
    }

    private static CommitRecord record(long index, List<Batch> batches) {
        Digest anchor = Digest.sha256(("anchor " + index).getBytes(StandardCharsets.UTF_8));
        return new CommitRecord(index, anchor, 2 * index, 0, List.of(anchor), new byte[0], new byte[0],
                batches.stream().map(Batch::digest).toList(), Instant.EPOCH);
    }

    private static List<CommitTransactions> run(SequencerStore store, List<List<Batch>> commits, int window, int storedCommits,
                                                int liveFrom) {
        List<CommitTransactions> published = new CopyOnWriteArrayList<>();
        try (TransactionIndexer indexer = new TransactionIndexer(store, new TransactionWindow(window), T, new SimpleMeterRegistry(),
                published::add)) {
            indexer.open(storedCommits, 1);
            for (int i = liveFrom; i <= commits.size(); i++) indexer.committed(i, commits.get(i - 1).stream().map(Batch::digest).toList());
            await().atMost(T).until(() -> indexer.lastPublished() == commits.size());
        }
        return store.commitTransactions(1, Integer.MAX_VALUE).await().atMost(T);
    }

    @Test
    void aTransactionPackedByTwoValidatorsIsOutputOnceAndTheCopyIsRecorded() {
        List<List<Batch>> commits = List.of(
                List.of(batch(0, "a", "b")),
                List.of(batch(1, "b", "c"), batch(2, "c", "d", "a")),
                List.of(batch(3, "e")));
        List<CommitTransactions> rows = run(storeWith(commits, 0), commits, 1_000, 0, 1);
        assertThat(rows).extracting(r -> r.output().size()).containsExactly(2, 2, 1);
        assertThat(rows.get(1).output()).containsExactly(tx("c").digest(), tx("d").digest());
        assertThat(rows.get(1).skipped()).containsExactly(tx("b").digest(), tx("c").digest(), tx("a").digest());
        assertThat(rows).extracting(CommitTransactions::outputEnd).containsExactly(2L, 4L, 5L);
    }

    @Test
    void aTransactionOlderThanTheWindowIsOutputAgain() {
        List<List<Batch>> commits = List.of(
                List.of(batch(0, "a", "b")),
                List.of(batch(1, "c")),
                List.of(batch(2, "a", "c")));
        List<CommitTransactions> rows = run(storeWith(commits, 0), commits, 2, 0, 1);
        assertThat(rows.get(2).output()).as("a left the window of two (b, c)").containsExactly(tx("a").digest());
        assertThat(rows.get(2).skipped()).containsExactly(tx("c").digest());
    }

    /**
     * Random commits over a small set of transactions: an indexer that restarts at every
     * commit (crash after the commit, before or after its row) decides exactly as one that never
     * stopped, and no transaction is output twice within the window.
     */
    @Test
    void restartsDecideAsAnUninterruptedRun() {
        for (long seed = 1; seed <= 10; seed++) {
            Random random = new Random(seed);
            int window = 5 + random.nextInt(30);
            List<List<Batch>> commits = new ArrayList<>();
            for (int c = 0; c < 40; c++) {
                List<Batch> batches = new ArrayList<>();
                for (int b = random.nextInt(3); b > 0; b--) {
                    String[] txs = new String[1 + random.nextInt(4)];
                    for (int t = 0; t < txs.length; t++) txs[t] = "t" + random.nextInt(60);
                    batches.add(batch(random.nextInt(4), txs));
                }
                commits.add(batches);
            }
            List<CommitTransactions> uninterrupted = run(storeWith(commits, 0), commits, window, 0, 1);

            SequencerStore store = storeWith(commits, commits.size());
            for (int stop = 1; stop <= commits.size(); stop += 1 + random.nextInt(5)) {
                // The log holds every commit; rows exist up to an earlier point: open() decides the rest.
                run(store, commits.subList(0, stop), window, stop, stop + 1);
            }
            List<CommitTransactions> restarted = run(store, commits, window, commits.size(), commits.size() + 1);
            assertThat(restarted).as("seed %d", seed).isEqualTo(uninterrupted);

            List<Digest> all = new ArrayList<>();
            for (CommitTransactions r : uninterrupted) all.addAll(r.output());
            for (int i = 0; i + window <= all.size(); i++) {
                assertThat(all.subList(i, i + window)).as("seed %d: window at %d", seed, i).doesNotHaveDuplicates();
            }
        }
    }

    /**
     * Regression (DagHoleIT in CI): a log that lost its trailing commits re-derives them; their old
     * rows ran ahead of the log and the indexer refused "commit 16 decided after commit 17" and
     * stopped. Rows above the log's end are dropped at start-up and decided again, identically.
     */
    @Test
    void rowsAheadOfTheCommitLogAreDecidedAgain() {
        List<List<Batch>> commits = List.of(
                List.of(batch(0, "a", "b")), List.of(batch(1, "b", "c")), List.of(batch(2, "c", "d")),
                List.of(batch(3, "a", "e")), List.of(batch(0, "e", "f")));
        List<CommitTransactions> before = run(storeWith(commits, 0), commits, 1_000, 0, 1);
        SequencerStore store = storeWith(commits, 0);
        run(store, commits, 1_000, 0, 1);
        // The log now ends at commit 3 (the trailing two were lost); the rows still reach commit 5.
        List<CommitTransactions> published = new CopyOnWriteArrayList<>();
        try (TransactionIndexer indexer = new TransactionIndexer(store, new TransactionWindow(1_000), T, new SimpleMeterRegistry(),
                published::add)) {
            assertThat(indexer.open(3, 1)).as("published up to the log's end").isEqualTo(3);
            for (int i = 4; i <= 5; i++) indexer.committed(i, commits.get(i - 1).stream().map(Batch::digest).toList());
            await().atMost(T).until(() -> published.size() == 2);
        }
        assertThat(published).isEqualTo(before.subList(3, 5));
        assertThat(store.commitTransactions(1, 10).await().atMost(T)).isEqualTo(before);
    }

    @Test
    void aCommitIsPublishedOnlyOnceItsRowIsStored() {
        List<List<Batch>> commits = List.of(List.of(batch(0, "a")), List.of(batch(1, "a", "b")));
        SequencerStore store = storeWith(commits, 0);
        List<Long> rowsWhenPublished = new CopyOnWriteArrayList<>();
        try (TransactionIndexer indexer = new TransactionIndexer(store, new TransactionWindow(100), T, new SimpleMeterRegistry(),
                r -> rowsWhenPublished.add(store.lastCommitTransactionsIndex().await().atMost(T)))) {
            indexer.open(0, 1);
            indexer.committed(1, List.of(commits.get(0).get(0).digest()));
            indexer.committed(2, List.of(commits.get(1).get(0).digest()));
            await().atMost(T).until(() -> rowsWhenPublished.size() == 2);
            assertThat(indexer.committedIn(tx("b").digest())).isEqualTo(2);
            assertThat(indexer.committedIn(tx("a").digest())).isEqualTo(1);
        }
        assertThat(rowsWhenPublished.get(0)).isGreaterThanOrEqualTo(1);
        assertThat(rowsWhenPublished.get(1)).isEqualTo(2);
    }
}
