package dev.shoal.sequencer.storage.pg;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Projection of a batch row without its payload. */
@RegisterForReflection
public record BatchSummaryRow(byte[] digest, int author, int worker, int transactionCount, long sizeBytes,
                              byte[] certificateDigest) {}
