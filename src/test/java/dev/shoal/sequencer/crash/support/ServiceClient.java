package dev.shoal.sequencer.crash.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The few HTTP calls the crash tests make against a running service: submit transactions, page
 * through the commit log, read readiness and status. Plain {@link HttpClient} and Jackson trees:
 * the tests check the wire format as a client sees it.
 */
public final class ServiceClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final HttpClient http;

    public ServiceClient(String baseUrl) {
        this.base = baseUrl;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** The service answered, but not with success (e.g. 500 or 503 while its database is unreachable). */
    public static final class UnexpectedStatus extends IOException {
        public UnexpectedStatus(String message) {
            super(message);
        }
    }

    /** An HTTP answer: status, content type and body. */
    public record Reply(int status, String contentType, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON (" + status + "): " + body, e);
            }
        }
    }

    /**
     * POST /api/v1/transactions with these payloads. Throws IOException when there is no answer
     * (connection refused or reset: the process died), which the caller treats as in doubt.
     */
    public Reply submit(List<byte[]> payloads, Duration timeout) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode txs = body.putArray("transactions");
        for (byte[] p : payloads) txs.add(Base64.getEncoder().encodeToString(p));
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/transactions")).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        return send(req);
    }

    /** GET /api/v1/commits?from=&limit=. */
    public List<JsonNode> commits(long from, int limit) throws IOException, InterruptedException {
        Reply r = get("/api/v1/commits?from=" + from + "&limit=" + limit);
        if (r.status() != 200) throw new UnexpectedStatus("GET /api/v1/commits answered " + r.status() + ": " + r.body());
        List<JsonNode> out = new ArrayList<>();
        r.json().forEach(out::add);
        return out;
    }

    /** Every commit from index {@code from} on, page by page (1000 per page, the API's largest). */
    public List<JsonNode> commitsFrom(long from) throws IOException, InterruptedException {
        List<JsonNode> all = new ArrayList<>();
        long next = from;
        while (true) {
            List<JsonNode> page = commits(next, 1000);
            all.addAll(page);
            if (page.size() < 1000) return all;
            next = page.get(page.size() - 1).get("index").asLong() + 1;
        }
    }

    /** GET /q/health/ready: 200 with UP, or 503 with DOWN. */
    public Reply ready() throws IOException, InterruptedException {
        return get("/q/health/ready");
    }

    /** True when /q/health/ready answers 200; false when it answers anything else or nothing. */
    public boolean isReady() {
        try {
            return ready().status() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** GET /api/v1/status, or empty if the service does not answer. */
    public Optional<JsonNode> status() {
        try {
            Reply r = get("/api/v1/status");
            return r.status() == 200 ? Optional.of(r.json()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    public Reply get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20)).GET().build());
    }

    /** POST with an empty body (admin calls such as /api/v1/checkpoints). */
    public Reply post(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private Reply send(HttpRequest req) throws IOException, InterruptedException {
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        return new Reply(resp.statusCode(), resp.headers().firstValue("Content-Type").orElse(""), resp.body());
    }
}
