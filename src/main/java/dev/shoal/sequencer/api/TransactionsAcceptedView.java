package dev.shoal.sequencer.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Answer of POST /api/v1/transactions: every transaction is durable and will be, or was, ordered once. */
@Schema(name = "TransactionsAccepted")
public record TransactionsAcceptedView(
        @Schema(description = "Number of transactions acknowledged (all of the request)") int accepted,
        @Schema(description = "SHA-256 of each payload, hex, in request order") List<String> digests,
        @Schema(description = "What happened to each transaction, in request order") List<Outcome> transactions) {

    /** One transaction's acknowledgement. */
    @Schema(name = "TransactionOutcome")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Outcome(
            @Schema(description = "SHA-256 of the payload, hex") String digest,
            @Schema(description = "accepted: new here, now durable; duplicate: this validator already accepted it (in flight),"
                    + " not packed again; committed: already in the committed output, not packed again",
                    enumeration = {"accepted", "duplicate", "committed"}) String status,
            @Schema(description = "For committed: the commit that output it") Long commitIndex) {}
}
