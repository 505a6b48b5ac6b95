package dev.shoal.sequencer.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Transaction;
import dev.shoal.sequencer.storage.CommitTransactions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A validator that joins after commit C from a peer's window decides every later commit as the
 * validators that never stopped: the same transactions output, the same ones left out.
 */
class WindowSnapshotTest {

    @Test
    void aJoinerResumingFromTheWindowDecidesAsEveryoneElse() {
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            int capacity = 3 + random.nextInt(40);
            List<List<Digest>> commitBatches = new ArrayList<>();
            Map<Digest, Batch> batches = new HashMap<>();
            for (int c = 0; c < 60; c++) {
                List<Digest> out = new ArrayList<>();
                for (int b = random.nextInt(3); b > 0; b--) {
                    List<Transaction> txs = new ArrayList<>();
                    for (int t = 1 + random.nextInt(4); t > 0; t--) {
                        txs.add(Transaction.of(("t" + random.nextInt(80)).getBytes(StandardCharsets.UTF_8)));
                    }
                    Batch batch = new Batch(random.nextInt(4), 0, txs);
                    batches.put(batch.digest(), batch);
                    out.add(batch.digest());
                }
                commitBatches.add(out);
            }
            TransactionOutput everyone = new TransactionOutput(new TransactionWindow(capacity), List.of());
            List<CommitTransactions> rows = new ArrayList<>();
            for (int c = 1; c <= commitBatches.size(); c++) rows.add(everyone.decide(c, commitBatches.get(c - 1), batches));

            for (int joinAfter = 1; joinAfter < commitBatches.size(); joinAfter += 7) {
                WindowSnapshot w = WindowSnapshot.of(rows.subList(0, joinAfter), joinAfter, capacity).orElseThrow();
                assertThat(w.entries()).hasSizeLessThanOrEqualTo(capacity);
                assertThat(w.outputEnd()).isEqualTo(rows.get(joinAfter - 1).outputEnd());
                WindowSnapshot again = WindowSnapshot.of(w.rows(), joinAfter, capacity).orElseThrow();
                assertThat(again).as("seed %d: the installed rows give the window back", seed).isEqualTo(w);
                assertThat(again.digest()).isEqualTo(w.digest());

                TransactionOutput joiner = new TransactionOutput(new TransactionWindow(capacity), w.rows());
                for (int c = joinAfter + 1; c <= commitBatches.size(); c++) {
                    assertThat(joiner.decide(c, commitBatches.get(c - 1), batches)).as("seed %d, joined after %d: commit %d", seed, joinAfter, c)
                            .isEqualTo(rows.get(c - 1));
                }
            }
        }
    }

    @Test
    void rowsThatStartAfterTheWindowsStartCannotGiveIt() {
        CommitTransactions late = new CommitTransactions(5, 10, List.of(Digest.sha256(new byte[] {1})), List.of());
        assertThat(WindowSnapshot.of(List.of(late), 5, 4)).as("positions 7..10 needed, the rows hold only 10").isEmpty();
        assertThat(WindowSnapshot.of(List.of(late), 6, 4)).as("the rows end before the commit").isEmpty();
        assertThat(WindowSnapshot.of(List.of(late), 5, 1)).isPresent();
    }

    @Test
    void theVouchedDigestBindsStateAndWindow() {
        WindowSnapshot a = new WindowSnapshot(3, 1, List.of(new WindowSnapshot.Entry(2, Digest.sha256(new byte[] {1}))));
        WindowSnapshot b = new WindowSnapshot(3, 1, List.of(new WindowSnapshot.Entry(2, Digest.sha256(new byte[] {2}))));
        Digest state = Digest.sha256(new byte[] {9});
        assertThat(a.vouchedDigest(state)).isNotEqualTo(b.vouchedDigest(state)).isNotEqualTo(a.vouchedDigest(Digest.sha256(new byte[] {8})));
        assertThat(a.vouchedDigest(state)).isEqualTo(new WindowSnapshot(3, 1, a.entries()).vouchedDigest(state));
    }
}
