package dev.shoal.sequencer.storage;

import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Digest;
import java.util.Optional;

/**
 * A batch body with its link to the certificate that first referenced it.
 *
 * @param digest            the batch digest
 * @param batch             the batch
 * @param certificateDigest the referencing certificate, empty while unreferenced
 */
public record StoredBatch(Digest digest, Batch batch, Optional<Digest> certificateDigest) {
    public BatchSummary summary() {
        return new BatchSummary(digest, batch.author(), batch.worker(), batch.transactions().size(),
                batch.payloadBytes(), certificateDigest);
    }
}
