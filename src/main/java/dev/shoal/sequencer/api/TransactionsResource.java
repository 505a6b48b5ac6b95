package dev.shoal.sequencer.api;

import dev.shoal.sequencer.api.problem.BadRequestProblem;
import dev.shoal.sequencer.config.SequencerConfig;
import dev.shoal.sequencer.core.types.Transaction;
import dev.shoal.sequencer.runtime.TransactionIntake;
import dev.shoal.sequencer.worker.Admission;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /api/v1/transactions}: answers 202 only once the batch holding every submitted
 * transaction is durable, so an acknowledged transaction is committed exactly once even if the
 * node crashes right after answering. A transaction this validator already accepted, or one the
 * committed output already carried, is acknowledged as such and not packed again.
 */
@Path("/api/v1/transactions")
@Tag(name = "Transactions")
public class TransactionsResource {
    private final TransactionIntake intake;
    private final SequencerConfig config;

    TransactionsResource(TransactionIntake intake, SequencerConfig config) {
        this.intake = intake;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit transactions", description = "Accepts one payload or a list of base64 payloads; 202 once they are durable")
    @APIResponse(responseCode = "202", description = "Durable; will be ordered once (or already was: see each transaction's status)")
    @APIResponse(responseCode = "400", description = "Invalid body (problem+json)")
    @APIResponse(responseCode = "503", description = "Recovering, storage not writable, or overloaded (problem+json, Retry-After)")
    public Uni<Response> submit(TransactionRequest body) {
        List<Transaction> txs = parse(body);
        return intake.submit(txs).map(admissions -> {
            List<String> digests = txs.stream().map(t -> t.digest().toHex()).toList();
            List<TransactionsAcceptedView.Outcome> outcomes = new ArrayList<>(txs.size());
            for (int i = 0; i < txs.size(); i++) {
                Admission a = admissions.get(i);
                outcomes.add(new TransactionsAcceptedView.Outcome(digests.get(i), a.status().name().toLowerCase(Locale.ROOT),
                        a.status() == Admission.Status.COMMITTED ? a.commitIndex() : null));
            }
            return Response.accepted(new TransactionsAcceptedView(txs.size(), digests, outcomes)).type(MediaType.APPLICATION_JSON).build();
        });
    }

    private List<Transaction> parse(TransactionRequest body) {
        if (body == null) throw new BadRequestProblem("The request needs a JSON body with \"payload\" or \"transactions\"");
        boolean one = body.payload() != null;
        boolean many = body.transactions() != null;
        if (one == many) {
            throw new BadRequestProblem("Give exactly one of \"payload\" (one base64 transaction) or \"transactions\" (a list of them)");
        }
        List<String> raw = one ? List.of(body.payload()) : body.transactions();
        if (raw.isEmpty()) throw new BadRequestProblem("\"transactions\" is empty; send at least one");
        int max = config.api().maxTransactionsPerRequest();
        if (raw.size() > max) throw new BadRequestProblem(raw.size() + " transactions in one request; the limit is " + max);
        Base64.Decoder b64 = Base64.getDecoder();
        List<Transaction> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            String where = one ? "\"payload\"" : "transactions[" + i + "]";
            String s = raw.get(i);
            if (s == null) throw new BadRequestProblem(where + " is null; expected a base64 string");
            byte[] payload;
            try {
                payload = b64.decode(s);
            } catch (IllegalArgumentException e) {
                throw new BadRequestProblem(where + " is not valid base64: " + e.getMessage());
            }
            if (payload.length == 0) throw new BadRequestProblem(where + " is empty; a transaction needs at least one byte");
            if (payload.length > config.api().maxTransactionBytes()) {
                throw new BadRequestProblem(where + " is " + payload.length + " bytes; the limit is " + config.api().maxTransactionBytes());
            }
            out.add(Transaction.of(payload));
        }
        return out;
    }
}
