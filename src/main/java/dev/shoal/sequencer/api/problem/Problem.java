package dev.shoal.sequencer.api.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 9457 problem detail, the body of every 4xx/5xx under /api/v1
 * ({@code application/problem+json}). {@code type} is {@code about:blank} for plain HTTP errors
 * (then the title is the status phrase) and a {@code urn:shoal:problem:*} name otherwise.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem detail")
public record Problem(String type, String title, int status, String detail, String instance) {
    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType MEDIA = MediaType.valueOf(MEDIA_TYPE);
    public static final String ABOUT_BLANK = "about:blank";

    public static Problem of(Response.StatusType status, String detail, String instance) {
        return new Problem(ABOUT_BLANK, status.getReasonPhrase(), status.getStatusCode(), detail, instance);
    }

    public static Problem typed(String slug, String title, Response.StatusType status, String detail, String instance) {
        return new Problem("urn:shoal:problem:" + slug, title, status.getStatusCode(), detail, instance);
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA).entity(this).build();
    }
}
