package dev.shoal.sequencer.api;

import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.storage.BatchSummary;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A batch in the listing of GET /api/v1/batches, without its transactions. */
@Schema(name = "BatchSummary", description = "A batch without its transactions")
public record BatchSummaryView(
        @Schema(description = "Batch digest, hex") String digest,
        @Schema(description = "Committee index of the validator whose worker made it") int author,
        @Schema(description = "Worker id within that validator") int worker,
        int transactionCount,
        @Schema(description = "Sum of the transaction payload sizes in bytes") long sizeBytes,
        @Schema(description = "Digest (hex) of the certificate that references it; null while unreferenced", nullable = true)
        String certificate) {

    static BatchSummaryView of(BatchSummary s) {
        return new BatchSummaryView(s.digest().toHex(), s.author(), s.worker(), s.transactionCount(), s.sizeBytes(),
                s.certificateDigest().map(Digest::toHex).orElse(null));
    }
}
