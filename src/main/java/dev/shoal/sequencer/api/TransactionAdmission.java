package dev.shoal.sequencer.api;

import dev.shoal.sequencer.api.problem.EngineProblemMappers;
import dev.shoal.sequencer.runtime.NotReadyException;
import dev.shoal.sequencer.runtime.TransactionIntake;
import dev.shoal.sequencer.worker.MempoolFullException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * POST /api/v1/transactions to a node that cannot take any: 503 (not ready, or overloaded) before
 * the body is read and decoded. Under overload most requests are refused, and a refusal that first
 * parsed 50 KB of JSON and base64 would spend the CPU the committee needs to order what it admitted.
 * The resource checks again with the request's size ({@link TransactionIntake#submit}).
 */
public class TransactionAdmission {
    private static final String TRANSACTIONS = "/api/v1/transactions";
    private final TransactionIntake intake;

    TransactionAdmission(TransactionIntake intake) {
        this.intake = intake;
    }

    @ServerRequestFilter
    public Response refuseEarly(ContainerRequestContext request) {
        if (!"POST".equals(request.getMethod()) || !TRANSACTIONS.equals(request.getUriInfo().getPath())) return null;
        try {
            intake.refuseIfUnable();
            return null;
        } catch (NotReadyException e) {
            return EngineProblemMappers.notReady(e, TRANSACTIONS);
        } catch (MempoolFullException e) {
            return EngineProblemMappers.overloaded(e, TRANSACTIONS);
        }
    }
}
