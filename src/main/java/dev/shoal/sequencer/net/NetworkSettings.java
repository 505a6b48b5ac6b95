package dev.shoal.sequencer.net;

import java.time.Duration;
import java.util.Objects;

/**
 * How the peer transport binds, bounds and retries (filled by the node from the
 * {@code sequencer.network.*} configuration; this package does not read configuration itself).
 *
 * @param listenHost       interface the peer endpoint binds to
 * @param port             peer port; 0 = the port of this validator's committee address
 * @param maxFrameBytes    largest message accepted or sent, in bytes
 * @param queueCapacity    messages queued for one peer before the oldest are dropped
 * @param queueBytes       bytes queued for one peer before the oldest are dropped
 * @param minBackoff       first delay before reconnecting; doubles per failure
 * @param maxBackoff       longest delay between reconnection attempts
 * @param handshakeTimeout time a new connection has to complete the authenticated handshake
 */
public record NetworkSettings(String listenHost, int port, int maxFrameBytes, int queueCapacity, long queueBytes,
                              Duration minBackoff, Duration maxBackoff, Duration handshakeTimeout) {
    public NetworkSettings {
        Objects.requireNonNull(listenHost, "listenHost");
        Objects.requireNonNull(minBackoff, "minBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("peer port must be 0..65535, got " + port);
        if (maxFrameBytes < 1024) throw new IllegalArgumentException("max frame size must be at least 1024 bytes");
        if (queueCapacity < 1) throw new IllegalArgumentException("queue capacity must be at least 1");
        if (queueBytes < 1) throw new IllegalArgumentException("queue bytes must be at least 1");
        if (minBackoff.isNegative() || minBackoff.isZero()) throw new IllegalArgumentException("min backoff must be positive");
        if (maxBackoff.compareTo(minBackoff) < 0) throw new IllegalArgumentException("max backoff must be >= min backoff");
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshake timeout must be positive");
        }
    }

    /** The defaults of the {@code sequencer.network} configuration group. */
    public static NetworkSettings defaults() {
        return new NetworkSettings("0.0.0.0", 0, 16 * 1024 * 1024, 10_000, 128L * 1024 * 1024,
                Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    public NetworkSettings withListen(String host, int port) {
        return new NetworkSettings(host, port, maxFrameBytes, queueCapacity, queueBytes, minBackoff, maxBackoff,
                handshakeTimeout);
    }

    public NetworkSettings withQueue(int capacity, long bytes) {
        return new NetworkSettings(listenHost, port, maxFrameBytes, capacity, bytes, minBackoff, maxBackoff,
                handshakeTimeout);
    }

    public NetworkSettings withBackoff(Duration min, Duration max) {
        return new NetworkSettings(listenHost, port, maxFrameBytes, queueCapacity, queueBytes, min, max,
                handshakeTimeout);
    }

    public NetworkSettings withHandshakeTimeout(Duration timeout) {
        return new NetworkSettings(listenHost, port, maxFrameBytes, queueCapacity, queueBytes, minBackoff, maxBackoff,
                timeout);
    }

    public NetworkSettings withMaxFrameBytes(int max) {
        return new NetworkSettings(listenHost, port, max, queueCapacity, queueBytes, minBackoff, maxBackoff,
                handshakeTimeout);
    }
}
