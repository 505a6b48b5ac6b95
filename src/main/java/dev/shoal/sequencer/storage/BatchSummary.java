package dev.shoal.sequencer.storage;

import dev.shoal.sequencer.core.types.Digest;
import java.util.Optional;

/** What the batch listing shows without loading payloads. */
public record BatchSummary(Digest digest, int author, int worker, int transactionCount, long sizeBytes,
                           Optional<Digest> certificateDigest) {}
