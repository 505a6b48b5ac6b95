package dev.shoal.sequencer.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutboundQueueTest {
    @Test
    void dropsTheOldestBeyondTheMessageBound() {
        OutboundQueue q = new OutboundQueue(3, 1_000);
        int dropped = 0;
        for (int i = 0; i < 5; i++) dropped += q.offer(new byte[] {(byte) i});
        assertThat(dropped).isEqualTo(2);
        assertThat(q.size()).isEqualTo(3);
        assertThat(q.poll()).containsExactly(2);
        assertThat(q.poll()).containsExactly(3);
        assertThat(q.poll()).containsExactly(4);
        assertThat(q.poll()).isNull();
        assertThat(q.bytes()).isZero();
    }

    @Test
    void dropsTheOldestBeyondTheByteBound() {
        OutboundQueue q = new OutboundQueue(100, 10);
        assertThat(q.offer(new byte[4])).isZero();
        assertThat(q.offer(new byte[4])).isZero();
        assertThat(q.offer(new byte[4])).isEqualTo(1);
        assertThat(q.bytes()).isEqualTo(8);
        // A message larger than the whole bound is refused alone; the queue keeps what it had.
        assertThat(q.offer(new byte[11])).isEqualTo(1);
        assertThat(q.size()).isEqualTo(2);
        assertThat(q.offer(new byte[10])).isEqualTo(2);
        assertThat(q.size()).isEqualTo(1);
    }

    @Test
    void backoffDoublesWithinItsBounds() {
        Random random = new Random(7);
        Duration min = Duration.ofMillis(100);
        Duration max = Duration.ofSeconds(5);
        for (int failures = 0; failures < 100; failures++) {
            long base = Math.min(5000, 100L << Math.min(failures, 30));
            for (int i = 0; i < 20; i++) {
                long d = Backoff.delayMillis(min, max, failures, random);
                assertThat(d).isBetween(base, Math.min(5000, base + base / 4));
            }
        }
        assertThat(Backoff.delayMillis(min, max, Integer.MAX_VALUE, random)).isEqualTo(5000);
    }
}
