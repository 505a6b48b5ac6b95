package dev.shoal.sequencer.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Reads Server-Sent Events with the JDK's plain HTTP client (no SSE library), so the test sees
 * the stream exactly as a simple client would: {@code data:} lines, events separated by blank lines.
 */
final class CommitStreamClient {
    private CommitStreamClient() {}

    /** The first n events of the stream at pathAndQuery, each event's data parsed as a JSON object; then disconnects. */
    static List<Map<String, Object>> firstEvents(String pathAndQuery, int n) throws Exception {
        URI uri = URI.create(RestAssured.baseURI + ":" + RestAssured.port + pathAndQuery);
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET().build();
        CompletableFuture<List<String>> events = CompletableFuture.supplyAsync(() -> {
            try {
                HttpResponse<Stream<String>> response = client.send(request, HttpResponse.BodyHandlers.ofLines());
                assertThat(response.statusCode()).as("status of " + pathAndQuery).isEqualTo(200);
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                        t -> assertThat(t).startsWith("text/event-stream"));
                try (Stream<String> lines = response.body()) { // closing it cancels the request: we disconnect
                    return readData(lines.iterator(), n);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // A guard against a stream that never delivers, not a timing assertion.
        List<String> data = events.get(ApiTestSupport.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        List<Map<String, Object>> out = new ArrayList<>(data.size());
        for (String d : data) out.add(JsonPath.from(d).getMap("$"));
        return out;
    }

    private static List<String> readData(Iterator<String> lines, int n) {
        List<String> events = new ArrayList<>(n);
        StringBuilder data = null;
        while (events.size() < n && lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("data:")) {
                String part = line.substring(5);
                if (part.startsWith(" ")) part = part.substring(1);
                data = data == null ? new StringBuilder(part) : data.append('\n').append(part);
            } else if (line.isEmpty() && data != null) {
                events.add(data.toString());
                data = null;
            }
        }
        return events;
    }
}
