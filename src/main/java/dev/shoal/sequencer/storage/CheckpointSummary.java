package dev.shoal.sequencer.storage;

import java.time.Instant;

/** A checkpoint as listed by the API, without its payload. */
public record CheckpointSummary(long round, int formatVersion, String codec, long uncompressedSize,
                                long compressedSize, String checksum, int certificateCount, long commitIndex,
                                long gcRound, Instant createdAt) {}
