package dev.shoal.sequencer.storage.pg;

import static dev.shoal.sequencer.storage.StoreFixtures.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Digest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecentBatchesTest {
    private static final Digest CERT_A = Digest.of(new byte[32]);
    private static final Digest CERT_B = Digest.of(filled((byte) 7));

    @Test
    void keepsTheNewestWithinTheBudgetOldestOutFirst() {
        Batch a = batch(0, "aaaa"), b = batch(1, "bbbb"), c = batch(2, "cccc");
        RecentBatches cache = new RecentBatches(a.payloadBytes() + b.payloadBytes());
        cache.written(List.of(a, b), List.of());
        cache.written(List.of(c), List.of());
        assertNull(cache.get(a.digest()), "the oldest batch leaves first");
        assertNotNull(cache.get(b.digest()));
        assertNotNull(cache.get(c.digest()));
        assertEquals(b.payloadBytes() + c.payloadBytes(), cache.bytes());
    }

    @Test
    void mirrorsTheFirstCertificateLinkOnly() {
        Batch a = batch(0, "aaaa");
        RecentBatches cache = new RecentBatches(1 << 20);
        cache.written(List.of(a), List.of());
        assertEquals(Optional.empty(), cache.get(a.digest()).certificateDigest());
        cache.written(List.of(), List.of(Map.entry(a.digest(), CERT_A)));
        cache.written(List.of(a), List.of(Map.entry(a.digest(), CERT_B)));
        assertEquals(Optional.of(CERT_A), cache.get(a.digest()).certificateDigest(), "the database keeps the first link");
        assertEquals(a.payloadBytes(), cache.bytes(), "a batch written twice is counted once");
    }

    @Test
    void zeroBudgetDisablesAndOversizedBatchesAreNotKept() {
        Batch a = batch(0, "aaaa");
        RecentBatches off = new RecentBatches(0);
        off.written(List.of(a), List.of());
        assertEquals(0, off.size());
        RecentBatches small = new RecentBatches(a.payloadBytes() - 1);
        small.written(List.of(a), List.of());
        assertEquals(0, small.size());
        assertThrows(IllegalArgumentException.class, () -> new RecentBatches(-1));
    }

    @Test
    void clearForgetsEverything() {
        Batch a = batch(0, "aaaa");
        RecentBatches cache = new RecentBatches(1 << 20);
        cache.written(List.of(a), List.of());
        cache.clear();
        assertNull(cache.get(a.digest()));
        assertEquals(0, cache.bytes());
    }

    private static byte[] filled(byte v) {
        byte[] b = new byte[32];
        java.util.Arrays.fill(b, v);
        return b;
    }
}
