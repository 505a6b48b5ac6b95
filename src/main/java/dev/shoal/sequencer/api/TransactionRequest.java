package dev.shoal.sequencer.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of POST /api/v1/transactions: one payload or a list of them, base64. */
@Schema(name = "TransactionSubmission", description = "Exactly one of payload or transactions")
public record TransactionRequest(
        @Schema(description = "One transaction payload, base64") String payload,
        @Schema(description = "Several transaction payloads, base64, in order") List<String> transactions) {}
