package dev.shoal.sequencer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CheckpointFrameTest {
    private static byte[] body(long seed, int size) {
        // half repetitive, half random: compressible like a real DAG window
        Random r = new Random(seed);
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) b[i] = (i % 64 < 32) ? (byte) (i % 7) : (byte) r.nextInt(256);
        return b;
    }

    @ParameterizedTest
    @EnumSource(CompressionCodec.class)
    void sealsAndOpensWithEveryCodec(CompressionCodec codec) {
        byte[] body = body(1, 50_000);
        byte[] frame = CheckpointFrame.seal(body, codec);
        CheckpointFrame.Opened opened = CheckpointFrame.open(frame, 1 << 20);
        assertThat(opened.body()).isEqualTo(body);
        assertThat(opened.codec()).isEqualTo(codec);
        assertThat(opened.formatVersion()).isEqualTo(CheckpointFrame.FORMAT_VERSION);
        if (codec != CompressionCodec.NONE) assertThat(frame.length).isLessThan(body.length);
    }

    @ParameterizedTest
    @EnumSource(CompressionCodec.class)
    void emptyBody(CompressionCodec codec) {
        assertThat(CheckpointFrame.open(CheckpointFrame.seal(new byte[0], codec), 10).body()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(CompressionCodec.class)
    void everySingleByteCorruptionIsDetected(CompressionCodec codec) {
        byte[] frame = CheckpointFrame.seal(body(2, 2_000), codec);
        for (int i = 0; i < frame.length; i++) {
            byte[] bad = frame.clone();
            bad[i] ^= (byte) (1 << (i % 8));
            int at = i;
            assertThatThrownBy(() -> CheckpointFrame.open(bad, 1 << 20))
                    .as("flipped byte %d of %d", at, frame.length)
                    .isInstanceOf(CheckpointException.class);
        }
    }

    @Test
    void everyTruncationIsDetected() {
        byte[] frame = CheckpointFrame.seal(body(3, 1_000), CompressionCodec.ZSTD);
        for (int n = 0; n < frame.length; n++) {
            byte[] cut = Arrays.copyOf(frame, n);
            assertThatThrownBy(() -> CheckpointFrame.open(cut, 1 << 20)).isInstanceOf(CheckpointException.class);
        }
        byte[] padded = Arrays.copyOf(frame, frame.length + 1);
        assertThatThrownBy(() -> CheckpointFrame.open(padded, 1 << 20))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("truncated or padded");
    }

    @Test
    void refusesBodiesOverTheLimitBeforeDecompressing() {
        byte[] frame = CheckpointFrame.seal(body(4, 10_000), CompressionCodec.LZ4);
        assertThatThrownBy(() -> CheckpointFrame.open(frame, 9_999))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("exceeds the limit");
    }

    @Test
    void namesWhatIsWrong() {
        byte[] frame = CheckpointFrame.seal(body(5, 100), CompressionCodec.NONE);
        byte[] badMagic = frame.clone();
        badMagic[0] = 'X';
        assertThatThrownBy(() -> CheckpointFrame.open(badMagic, 1000)).hasMessageContaining("bad magic");
        byte[] badPayload = frame.clone();
        badPayload[badPayload.length - 1] ^= 1;
        assertThatThrownBy(() -> CheckpointFrame.open(badPayload, 1000)).hasMessageContaining("checksum mismatch");
        byte[] badVersion = frame.clone();
        badVersion[8] = 9;
        assertThatThrownBy(() -> CheckpointFrame.open(badVersion, 1000)).hasMessageContaining("format version 9");
        assertThatThrownBy(() -> CompressionCodec.byLabel("brotli")).hasMessageContaining("unknown compression codec 'brotli'");
    }
}
