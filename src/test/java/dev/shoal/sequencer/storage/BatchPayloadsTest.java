package dev.shoal.sequencer.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.core.codec.CodecLimits;
import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Transaction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchPayloadsTest {
    private static final long SEED = 42;

    private static Batch batch(boolean random) {
        Random r = new Random(SEED);
        List<Transaction> txs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] p = new byte[512];
            if (random) r.nextBytes(p);
            else Arrays.fill(p, (byte) ('a' + i % 26));
            p[0] = (byte) i;
            txs.add(Transaction.of(p));
        }
        return new Batch(1, 0, txs);
    }

    @Test
    void compressibleBatchesAreStoredAsLz4AndReadBack() {
        Batch b = batch(false);
        BatchPayloads.Encoded e = BatchPayloads.encode(b);
        assertThat(e.codec()).isEqualTo(BatchPayloads.LZ4);
        assertThat(e.bytes().length).isLessThan(b.toBytes().length / 4);
        assertThat(BatchPayloads.decode(e.codec(), e.bytes(), CodecLimits.DEFAULT)).isEqualTo(b);
    }

    @Test
    void randomPayloadsAreStoredAsTheyAreWithoutCompressingTheWholeBatch() {
        Batch b = batch(true);
        BatchPayloads.Encoded e = BatchPayloads.encode(b);
        assertThat(e.codec()).isEqualTo(BatchPayloads.NONE);
        assertThat(e.bytes()).isEqualTo(b.toBytes());
        assertThat(BatchPayloads.decode(e.codec(), e.bytes(), CodecLimits.DEFAULT)).isEqualTo(b);
    }
}
