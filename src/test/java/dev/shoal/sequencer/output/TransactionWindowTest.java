package dev.shoal.sequencer.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shoal.sequencer.core.types.Digest;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TransactionWindowTest {

    private static Digest digest(long n) {
        return Digest.sha256(ByteBuffer.allocate(8).putLong(n).array());
    }

    @Test
    void remembersTheLastCapacityDigestsWithTheirCommits() {
        TransactionWindow w = new TransactionWindow(3);
        for (int i = 1; i <= 5; i++) w.add(digest(i), 10 + i);
        assertFalse(w.contains(digest(1)));
        assertFalse(w.contains(digest(2)));
        assertEquals(13, w.commitOf(digest(3)));
        assertEquals(15, w.commitOf(digest(5)));
        assertEquals(0, w.commitOf(digest(1)));
        assertEquals(3, w.size());
        assertEquals(5, w.added());
    }

    @Test
    void refusesADigestAlreadyHeld() {
        TransactionWindow w = new TransactionWindow(4);
        w.add(digest(1), 1);
        assertThrows(IllegalStateException.class, () -> w.add(digest(1), 2));
    }

    /** Against a plain model, with digests sharing probe chains (a tiny table) and a long run of evictions. */
    @Test
    void agreesWithAModelThroughEvictions() {
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            int capacity = 1 + random.nextInt(64);
            TransactionWindow w = new TransactionWindow(capacity);
            ArrayDeque<Digest> order = new ArrayDeque<>();
            Map<Digest, Long> model = new HashMap<>();
            for (int step = 0; step < 5_000; step++) {
                Digest d = digest(random.nextInt(200));
                assertEquals(model.containsKey(d), w.contains(d), "seed " + seed + " step " + step);
                if (model.containsKey(d)) {
                    assertEquals(model.get(d), w.commitOf(d), "seed " + seed);
                    continue;
                }
                w.add(d, step);
                order.addLast(d);
                model.put(d, (long) step);
                if (order.size() > capacity) model.remove(order.pollFirst());
            }
            for (int i = 0; i < 200; i++) assertEquals(model.containsKey(digest(i)), w.contains(digest(i)), "seed " + seed);
        }
    }

    @Test
    void holdsAMillionDigests() {
        TransactionWindow w = new TransactionWindow(1_000_000);
        for (int i = 0; i < 1_200_000; i++) w.add(digest(i), i / 1000 + 1);
        assertFalse(w.contains(digest(199_999)));
        assertTrue(w.contains(digest(200_000)));
        assertEquals(1_200, w.commitOf(digest(1_199_999)));
    }
}
