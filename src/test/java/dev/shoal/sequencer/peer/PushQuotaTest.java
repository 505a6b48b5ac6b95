package dev.shoal.sequencer.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.sequencer.core.types.Digest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PushQuotaTest {
    private static Digest d(String s) {
        return Digest.sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anAuthorIsRefusedBeyondItsQuotaOthersAreNot() {
        PushQuota q = new PushQuota(1000, 60_000);
        assertThat(q.admit(1, d("a"), 600, 0)).isTrue();
        assertThat(q.admit(1, d("b"), 400, 0)).isTrue();
        assertThat(q.admit(1, d("c"), 1, 0)).as("1001 bytes").isFalse();
        assertThat(q.outstanding(1)).isEqualTo(1000);
        assertThat(q.admit(2, d("x"), 1000, 0)).as("another author's quota").isTrue();
    }

    @Test
    void aReferencedBatchFreesItsAuthorsQuota() {
        PushQuota q = new PushQuota(1000, 60_000);
        q.admit(1, d("a"), 1000, 0);
        assertThat(q.admit(1, d("b"), 500, 0)).isFalse();
        q.release(d("a"));
        assertThat(q.outstanding(1)).isZero();
        assertThat(q.admit(1, d("b"), 500, 0)).isTrue();
        q.release(d("never pushed"));
        assertThat(q.outstanding(1)).isEqualTo(500);
    }

    @Test
    void theSameBatchPushedAgainIsCountedOnce() {
        PushQuota q = new PushQuota(1000, 60_000);
        assertThat(q.admit(1, d("a"), 700, 0)).isTrue();
        assertThat(q.admit(1, d("a"), 700, 5)).isTrue();
        assertThat(q.outstanding(1)).isEqualTo(700);
    }

    @Test
    void unreferencedBatchesStopCountingAfterTheTtl() {
        PushQuota q = new PushQuota(1000, 100);
        q.admit(1, d("a"), 1000, 0);
        assertThat(q.admit(1, d("b"), 10, 99)).isFalse();
        assertThat(q.admit(1, d("b"), 10, 100)).isTrue();
        assertThat(q.outstanding(1)).isEqualTo(10);
    }

    @Test
    void boundsMustBePositive() {
        assertThatThrownBy(() -> new PushQuota(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PushQuota(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyBatchesCountSoAFloodOfThemIsRefused() {
        var empty = new dev.shoal.sequencer.core.types.Batch(1, 0, java.util.List.of());
        assertThat(PushQuota.cost(empty)).isPositive();
        PushQuota q = new PushQuota(100 * PushQuota.cost(empty), 60_000);
        int admitted = 0;
        for (int i = 0; i < 1_000; i++) {
            if (q.admit(1, d("empty-" + i), PushQuota.cost(empty), 0)) admitted++;
        }
        assertThat(admitted).isEqualTo(100);
    }
}
