package dev.shoal.sequencer.storage;

import java.time.Instant;

/**
 * A stored checkpoint: the framed, compressed checkpoint bytes and what the listing shows.
 *
 * @param round            highest DAG round covered; the key
 * @param formatVersion    checkpoint format version
 * @param codec            compression codec name
 * @param payload          the framed checkpoint bytes
 * @param checksum         checksum of the payload as written into the frame
 * @param uncompressedSize body size before compression
 * @param certificateCount certificates in the DAG window
 * @param commitIndex      last commit index covered
 * @param gcRound          GC round of the window: certificates below it are not in the checkpoint
 * @param createdAt        when it was taken
 */
public record CheckpointRecord(long round, int formatVersion, String codec, byte[] payload, byte[] checksum,
                               long uncompressedSize, int certificateCount, long commitIndex, long gcRound,
                               Instant createdAt) {
    public long compressedSize() {
        return payload.length;
    }

    public CheckpointSummary summary() {
        return new CheckpointSummary(round, formatVersion, codec, uncompressedSize, payload.length,
                dev.shoal.sequencer.core.types.Hex.encode(checksum), certificateCount, commitIndex, gcRound, createdAt);
    }
}
