package dev.shoal.sequencer.crash.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Server-Sent Events client that behaves as a browser's {@code EventSource} does, so a test
 * sees what such a consumer sees across a server restart:
 * <ul>
 *   <li>lines end at LF, CR or CRLF; a line starting with a colon is a comment; {@code field:value}
 *       drops one space after the colon; a blank line dispatches the event;</li>
 *   <li>an event is delivered only once its blank line arrived (a half-received one is dropped), and
 *       only if it has data; its last event ID is then the one the client resumes with;</li>
 *   <li>{@code retry:} (digits only) sets the reconnection time;</li>
 *   <li>when the stream ends or the connection fails (refused, reset), it waits the reconnection time
 *       and reconnects to the same URL, sending {@code Last-Event-ID} when it has one;</li>
 *   <li>an answer other than 200 with {@code text/event-stream} fails it for good, as it does an
 *       EventSource: no more reconnects ({@link #failure()} says why).</li>
 * </ul>
 * Here the last event ID buffer starts empty on every connection, as some clients do (a browser
 * starts it at the previous id): the stricter behaviour, so a server that relies on more fails here
 * (the stream's opening block, with its id, is what keeps such a client's position).
 */
public final class EventSourceClient implements AutoCloseable {
    /** What {@code onmessage} would get: the event's data, its type and the client's last event ID then. */
    public record Message(String type, String data, String lastEventId, int connection) {}

    private final URI uri;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Message> messages = new ArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger attempts = new AtomicInteger();
    private final Thread thread;
    private volatile long reconnectionMillis = 3_000; // before the server says otherwise; browsers use a few seconds
    private volatile String lastEventId = "";
    private volatile String failure;
    private volatile InputStream current;

    public EventSourceClient(URI uri) {
        this.uri = uri;
        this.thread = new Thread(this::run, "event-source");
        thread.setDaemon(true);
    }

    public EventSourceClient start() {
        thread.start();
        return this;
    }

    private void run() {
        while (!closed.get()) {
            attempts.incrementAndGet();
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream")
                        .header("Cache-Control", "no-cache").GET();
                if (!lastEventId.isEmpty()) request.header("Last-Event-ID", lastEventId);
                HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                String type = response.headers().firstValue("Content-Type").orElse("");
                if (response.statusCode() != 200 || !type.startsWith("text/event-stream")) {
                    try (InputStream body = response.body()) {
                        failure = response.statusCode() + " " + type + " " + new String(body.readAllBytes(), StandardCharsets.UTF_8)
                                + " (Last-Event-ID: '" + lastEventId + "')";
                    }
                    return;
                }
                int connection = connections.incrementAndGet();
                try (InputStream body = response.body()) {
                    current = body;
                    if (closed.get()) return;
                    read(body, connection);
                }
            } catch (IOException e) {
                // Refused, reset or cut: the server restarts, or the network blinked. Reconnect.
            } catch (InterruptedException e) {
                return;
            }
            if (!pause(reconnectionMillis)) return;
        }
    }

    private void read(InputStream body, int connection) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        StringBuilder data = new StringBuilder();
        String eventType = "";
        String idBuffer = "";
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isEmpty()) {
                // Dispatch. The client's last event ID takes the buffer's value even for an event without data.
                lastEventId = idBuffer;
                if (data.length() > 0) {
                    String d = data.substring(0, data.length() - 1);
                    synchronized (messages) {
                        messages.add(new Message(eventType.isEmpty() ? "message" : eventType, d, lastEventId, connection));
                    }
                }
                data.setLength(0);
                eventType = "";
                continue;
            }
            if (line.startsWith(":")) continue; // a comment: heartbeats
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) value = value.substring(1);
            switch (field) {
                case "event" -> eventType = value;
                case "data" -> data.append(value).append('\n');
                case "id" -> {
                    if (value.indexOf('\0') < 0) idBuffer = value;
                }
                case "retry" -> {
                    if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) reconnectionMillis = Long.parseLong(value);
                }
                default -> { } // ignored, as an EventSource ignores unknown fields
            }
        }
        // End of stream: an event without its blank line is dropped.
    }

    private boolean pause(long millis) {
        try {
            Thread.sleep(millis); // the reconnection time the server asked for
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Every message received so far, in order. */
    public List<Message> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    /** The last message's last event ID, or "" before any. */
    public String lastEventId() {
        return lastEventId;
    }

    /** Connections that got a stream (the first one and every reconnect that did). */
    public int connections() {
        return connections.get();
    }

    /** Connection attempts, refused ones included. */
    public int attempts() {
        return attempts.get();
    }

    public long reconnectionMillis() {
        return reconnectionMillis;
    }

    /** Why the client gave up (a refusal an EventSource does not retry), or null while it has not. */
    public String failure() {
        return failure;
    }

    @Override
    public void close() {
        closed.set(true);
        thread.interrupt();
        InputStream in = current;
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing to stop reading; nothing to report
            }
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
