package dev.shoal.sequencer.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Answer of POST /api/v1/transactions: the transactions are durable and will be ordered. */
@Schema(name = "TransactionsAccepted")
public record TransactionsAccepted(
        @Schema(description = "Number of transactions accepted") int accepted,
        @Schema(description = "SHA-256 of each payload, hex, in request order") List<String> digests) {}
