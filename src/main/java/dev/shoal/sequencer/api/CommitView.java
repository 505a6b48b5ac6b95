package dev.shoal.sequencer.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One committed sub-DAG as clients see it (GET /api/v1/commits and the SSE stream): its gap-free
 * index, its anchor, its certificates in commit order and their transactions in commit order.
 */
@Schema(name = "Commit", description = "A committed sub-DAG with its transactions in order")
public record CommitView(
        @Schema(description = "Gap-free commit index, from 1") long index,
        Anchor anchor,
        @Schema(description = "Certificate digests (hex) in commit order; the anchor is last") List<String> certificates,
        @Schema(description = "Transactions in commit order, each at most once within the transaction window") List<TransactionView> transactions,
        @Schema(description = "Batch digests (hex) the certificates list that this commit does not output: an earlier"
                + " commit, or an earlier certificate of this one, already carried them (exactly-once output)")
        List<String> skippedBatches,
        @Schema(description = "Digests (hex) of transactions this commit's batches hold that it does not output: the committed"
                + " output already carried them within the transaction window, or this commit did (exactly-once output);"
                + " one entry per copy left out")
        List<String> skippedTransactions,
        @Schema(description = "When this validator committed it") Instant committedAt) {

    /** The anchor certificate. */
    @Schema(name = "Anchor")
    public record Anchor(long round, int author, @Schema(description = "Certificate digest, hex") String digest) {}

    /** A committed transaction. */
    @Schema(name = "CommittedTransaction")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TransactionView(@Schema(description = "SHA-256 of the payload, hex") String digest,
                                  @Schema(description = "Payload, base64; absent when asked with payloads=false") String payload) {}
}
