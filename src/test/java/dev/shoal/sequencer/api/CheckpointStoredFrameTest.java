package dev.shoal.sequencer.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.checkpoint.CheckpointFrame;
import dev.shoal.sequencer.core.types.Hex;
import dev.shoal.sequencer.runtime.StoredHistory;
import dev.shoal.sequencer.storage.CheckpointRecord;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.zip.CRC32C;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The summary POST /api/v1/checkpoints answers describes the stored frame: the checksum is the
 * frame's CRC32C field, the codec is the one in the frame, the sizes are the frame's and the
 * body's. Reads the stored record through the node, so it has no {@code *IT} variant.
 */
@QuarkusTest
class CheckpointStoredFrameTest {
    @Inject
    StoredHistory history;

    /** A summary from POST and the stored record of the same round. */
    private record Taken(Map<String, Object> summary, CheckpointRecord stored) {}

    @Test
    void theSummaryMatchesTheStoredFrame() {
        // Read back as the latest; if a scheduled checkpoint got in between, take another.
        Taken t = Awaitility.await().atMost(ApiTestSupport.PATIENCE).until(() -> {
            Map<String, Object> summary = CheckpointsResourceTest.take().jsonPath().getMap("$");
            CheckpointRecord latest = history.latestCheckpoint().await().atMost(Duration.ofSeconds(30)).orElseThrow();
            return new Taken(summary, latest);
        }, x -> x.stored().round() == CheckpointsResourceTest.round(x.summary()));
        Map<String, Object> summary = t.summary();
        byte[] frame = t.stored().payload();
        CheckpointFrame.Opened opened = CheckpointFrame.open(frame, Long.MAX_VALUE);
        // The checksum is the CRC32C value (as CRC tools print it) over the frame without its checksum field:
        // magic 8, version 4, codec 1, body length 8, payload length 8, then the u32 field, then the payload.
        int header = 8 + 4 + 1 + 8 + 8;
        CRC32C crc = new CRC32C();
        crc.update(frame, 0, header);
        crc.update(frame, header + 4, frame.length - header - 4);
        assertThat(summary.get("checksum")).isEqualTo(String.format("%08x", crc.getValue()));
        assertThat(summary.get("checksum")).isEqualTo(String.format("%08x", opened.checksum()));
        byte[] field = CheckpointFrame.checksumBytes(frame); // stored little-endian
        assertThat(Hex.encode(new byte[] {field[3], field[2], field[1], field[0]})).isEqualTo(summary.get("checksum"));
        assertThat(summary.get("codec")).isEqualTo(opened.codec().label());
        assertThat(((Number) summary.get("compressedSize")).longValue()).isEqualTo(frame.length);
        assertThat(((Number) summary.get("uncompressedSize")).longValue()).isEqualTo(opened.body().length);
        assertThat(summary.get("formatVersion")).isEqualTo(opened.formatVersion());
    }
}
