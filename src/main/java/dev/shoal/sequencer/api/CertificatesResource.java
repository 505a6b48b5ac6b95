package dev.shoal.sequencer.api;

import dev.shoal.sequencer.api.problem.Params;
import dev.shoal.sequencer.api.problem.Problem;
import dev.shoal.sequencer.config.SequencerConfig;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.node.NodeIdentity;
import dev.shoal.sequencer.runtime.StoredHistory;
import dev.shoal.sequencer.storage.CertificateQuery;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The stored certificates: {@code GET /api/v1/certificates} (filtered by round, author and
 * committed status, ordered by (round, author)) and {@code GET /api/v1/certificates/{digest}}.
 */
@Path("/api/v1/certificates")
@Tag(name = "Certificates", description = "Stored certificates of the DAG")
@Produces(MediaType.APPLICATION_JSON)
public class CertificatesResource {
    private final StoredHistory history;
    private final NodeIdentity identity;
    private final SequencerConfig config;

    CertificatesResource(StoredHistory history, NodeIdentity identity, SequencerConfig config) {
        this.history = history;
        this.identity = identity;
        this.config = config;
    }

    @GET
    @Operation(summary = "List certificates", description = "Certificate summaries matching every given filter, ordered by (round, author), at most limit")
    @APIResponse(responseCode = "200", description = "The matching certificates",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CertificateView[].class)))
    @APIResponse(responseCode = "400", description = "A parameter does not parse or is out of range (problem+json)")
    @APIResponse(responseCode = "503", description = "The node is starting (problem+json)")
    public Uni<List<CertificateView>> list(
            @Parameter(description = "Only this round") @QueryParam("round") String round,
            @Parameter(description = "Only this author (committee index)") @QueryParam("author") String author,
            @Parameter(description = "true: only committed; false: only uncommitted") @QueryParam("committed") String committed,
            @Parameter(description = "Most certificates returned (1 to sequencer.api.max-page-size; default 100)") @QueryParam("limit") String limit) {
        CertificateQuery query = new CertificateQuery(
                Optional.ofNullable(Params.optionalLong("round", round, 0, Long.MAX_VALUE)),
                Optional.ofNullable(Params.optionalLong("author", author, 0, identity.committee().size() - 1)).map(Long::intValue),
                Optional.ofNullable(Params.optionalBoolean("committed", committed)),
                Params.limit(limit, config.api().maxPageSize()));
        return history.certificates(query).map(list -> list.stream().map(CertificateView::of).toList());
    }

    @GET
    @Path("/{digest}")
    @Operation(summary = "One certificate", description = "The certificate with this digest")
    @APIResponse(responseCode = "200", description = "The certificate",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CertificateView.class)))
    @APIResponse(responseCode = "400", description = "The digest is not 64 hex characters (problem+json)")
    @APIResponse(responseCode = "404", description = "No such certificate is stored (problem+json)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<CertificateView> one(@Parameter(description = "Certificate digest, 64 hex characters") @PathParam("digest") String digest) {
        Digest d = Digest.of(Params.hex32("digest", digest));
        return history.certificate(d).map(found -> found.map(CertificateView::of)
                .orElseThrow(() -> new NotFoundException("No certificate with digest " + d.toHex() + " is stored")));
    }
}
