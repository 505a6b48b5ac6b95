package dev.shoal.sequencer.api;

import dev.shoal.sequencer.storage.CheckpointSummary;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A stored checkpoint as the API lists it (no payload). */
@Schema(name = "Checkpoint", description = "A stored checkpoint of DAG, consensus and reputation state")
public record CheckpointView(
        @Schema(description = "Highest DAG round it covers; its key") long round,
        @Schema(description = "Checkpoint frame format version") int formatVersion,
        @Schema(description = "Compression codec of the body: zstd, lz4, deflate or none") String codec,
        @Schema(description = "Body size before compression, bytes") long uncompressedSize,
        @Schema(description = "Stored size (framed, compressed), bytes") long compressedSize,
        @Schema(description = "CRC32C of the frame as a number, 8 hex digits (the way CRC tools print it)") String checksum,
        @Schema(description = "Certificates in the DAG window it holds") int certificateCount,
        @Schema(description = "Last commit index it covers") long commitIndex,
        @Schema(description = "GC round of the window: certificates below it are not in the checkpoint") long gcRound,
        Instant createdAt) {

    static CheckpointView of(CheckpointSummary s) {
        return new CheckpointView(s.round(), s.formatVersion(), s.codec(), s.uncompressedSize(), s.compressedSize(),
                crcValueHex(s.checksum()), s.certificateCount(), s.commitIndex(), s.gcRound(),
                // The database keeps microseconds: the answer of POST must equal what GET shows later.
                s.createdAt().truncatedTo(ChronoUnit.MICROS));
    }

    /**
     * The frame stores the CRC32C as a little-endian u32 and the store shows those bytes in hex;
     * clients compare checksums as numbers, so show the value (most significant digit first).
     */
    static String crcValueHex(String littleEndianHex) {
        if (littleEndianHex == null || littleEndianHex.length() != 8) return littleEndianHex;
        StringBuilder out = new StringBuilder(8);
        for (int i = 6; i >= 0; i -= 2) out.append(littleEndianHex, i, i + 2);
        return out.toString();
    }
}
