package dev.shoal.sequencer.api;

import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Transaction;
import dev.shoal.sequencer.storage.BatchSummary;
import dev.shoal.sequencer.storage.StoredBatch;
import java.util.Base64;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One batch with its transactions (GET /api/v1/batches/{digest}). */
@Schema(name = "Batch", description = "A batch with its transactions in batch order")
public record BatchView(
        @Schema(description = "Batch digest, hex") String digest,
        int author,
        int worker,
        int transactionCount,
        @Schema(description = "Sum of the transaction payload sizes in bytes") long sizeBytes,
        @Schema(description = "Digest (hex) of the certificate that references it; null while unreferenced", nullable = true)
        String certificate,
        List<BatchTransaction> transactions) {

    /** A transaction of a batch: the same shape as a committed transaction. */
    @Schema(name = "BatchTransaction")
    public record BatchTransaction(@Schema(description = "SHA-256 of the payload, hex") String digest,
                                   @Schema(description = "Payload, base64") String payload) {}

    static BatchView of(StoredBatch stored) {
        BatchSummary s = stored.summary();
        Base64.Encoder b64 = Base64.getEncoder();
        List<BatchTransaction> txs = stored.batch().transactions().stream()
                .map((Transaction t) -> new BatchTransaction(t.digest().toHex(), b64.encodeToString(t.payload())))
                .toList();
        return new BatchView(s.digest().toHex(), s.author(), s.worker(), s.transactionCount(), s.sizeBytes(),
                s.certificateDigest().map(Digest::toHex).orElse(null), txs);
    }
}
