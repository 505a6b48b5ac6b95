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
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Reads Server-Sent Events with the JDK's plain HTTP client (no SSE library), so the test sees
 * the stream exactly as a simple client would: lines, grouped into blocks that blank lines end.
 */
final class CommitStreamClient {
    private CommitStreamClient() {}

    /**
     * One block of the stream as sent, up to the blank line that ends it: its comment lines
     * (without the colon) and its fields (null when absent; data lines joined with a newline).
     */
    record Block(List<String> comments, String id, String event, String retry, String data) {
        boolean hasData() {
            return data != null;
        }

        /** The data parsed as a JSON object. */
        Map<String, Object> json() {
            return JsonPath.from(data).getMap("$");
        }
    }

    /** The answer to a stream request that must be refused; a stream (200) is reported, not read. */
    record Answer(int status, String contentType, String body) {
        JsonPath json() {
            return JsonPath.from(body);
        }
    }

    /**
     * Sends a stream request that the server should refuse (400, 410) and returns the answer. A
     * server that opens the stream instead is not read from, so the test fails rather than hangs.
     */
    static Answer answer(String pathAndQuery, Map<String, String> headers) throws Exception {
        URI uri = URI.create(RestAssured.baseURI + ":" + RestAssured.port + pathAndQuery);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
        headers.forEach(request::header);
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        String type = response.headers().firstValue("Content-Type").orElse("");
        try (java.io.InputStream body = response.body()) {
            if (response.statusCode() == 200) return new Answer(200, type, "(a stream)");
            return new Answer(response.statusCode(), type, new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** The first n events of the stream at pathAndQuery, each event's data parsed as a JSON object; then disconnects. */
    static List<Map<String, Object>> firstEvents(String pathAndQuery, int n) throws Exception {
        return firstDataBlocks(pathAndQuery, Map.of(), n).stream().map(Block::json).toList();
    }

    /** The first n blocks that carry data, sent with these request headers; then disconnects. */
    static List<Block> firstDataBlocks(String pathAndQuery, Map<String, String> headers, int n) throws Exception {
        return blocks(pathAndQuery, headers, read -> read.stream().filter(Block::hasData).count() >= n)
                .stream().filter(Block::hasData).toList();
    }

    /** Blocks of the stream, sent with these request headers, until enough says the ones read so far suffice; then disconnects. */
    static List<Block> blocks(String pathAndQuery, Map<String, String> headers, Predicate<List<Block>> enough) throws Exception {
        URI uri = URI.create(RestAssured.baseURI + ":" + RestAssured.port + pathAndQuery);
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
        headers.forEach(request::header);
        // Guards against a stream that never delivers, not timing assertions.
        HttpResponse<Stream<String>> response = client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
                .get(ApiTestSupport.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        try (Stream<String> lines = response.body()) { // closing it cancels the request: we disconnect, also after a timeout
            assertThat(response.statusCode()).as("status of " + pathAndQuery).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("text/event-stream"));
            CompletableFuture<List<Block>> blocks = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try {
                    blocks.complete(read(lines.iterator(), enough));
                } catch (RuntimeException | Error e) {
                    blocks.completeExceptionally(e);
                }
            }, "sse-reader");
            reader.setDaemon(true);
            reader.start();
            return blocks.get(ApiTestSupport.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private static List<Block> read(Iterator<String> lines, Predicate<List<Block>> enough) {
        List<Block> blocks = new ArrayList<>();
        List<String> comments = new ArrayList<>();
        String id = null;
        String event = null;
        String retry = null;
        StringBuilder data = null;
        boolean any = false;
        while (!enough.test(blocks) && lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                if (any) blocks.add(new Block(List.copyOf(comments), id, event, retry, data == null ? null : data.toString()));
                comments.clear();
                id = event = retry = null;
                data = null;
                any = false;
                continue;
            }
            any = true;
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) value = value.substring(1);
            switch (field) {
                case "" -> comments.add(value);
                case "id" -> id = value;
                case "event" -> event = value;
                case "retry" -> retry = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> throw new AssertionError("unexpected field in the event stream: " + line);
            }
        }
        return blocks;
    }
}
