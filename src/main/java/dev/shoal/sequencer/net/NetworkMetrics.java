package dev.shoal.sequencer.net;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The transport's Micrometer meters, all under {@code sequencer.network.*}. Per-peer meters carry
 * the tag {@code peer} = committee index; rejections carry {@code reason} only, since the peer of a
 * failed handshake is not authenticated.
 */
public final class NetworkMetrics {
    private final MeterRegistry registry;
    private final Map<ConnectionRejection, Counter> rejected = new EnumMap<>(ConnectionRejection.class);
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final List<Meter> gauges = new ArrayList<>();

    public NetworkMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (ConnectionRejection r : ConnectionRejection.values()) {
            rejected.put(r, Counter.builder("sequencer.network.rejected")
                    .description("Connections closed because a peer failed authentication or sent an invalid frame")
                    .tag("reason", r.tag())
                    .register(registry));
        }
    }

    private Counter peerCounter(String name, String description, int peer) {
        return counters.computeIfAbsent(name + '/' + peer, k -> Counter.builder(name)
                .description(description)
                .tag("peer", Integer.toString(peer))
                .register(registry));
    }

    void sent(int peer, int bytes) {
        peerCounter("sequencer.network.messages.sent", "Messages written to a peer", peer).increment();
        peerCounter("sequencer.network.bytes.sent", "Payload bytes written to a peer", peer).increment(bytes);
    }

    void received(int peer, int bytes) {
        peerCounter("sequencer.network.messages.received", "Authenticated messages received from a peer", peer)
                .increment();
        peerCounter("sequencer.network.bytes.received", "Payload bytes received from a peer", peer).increment(bytes);
    }

    void dropped(int peer, int messages) {
        peerCounter("sequencer.network.messages.dropped",
                "Messages dropped for a peer: oldest dropped on queue overflow, or larger than a frame", peer)
                .increment(messages);
    }

    void reconnect(int peer) {
        peerCounter("sequencer.network.reconnects", "Connection attempts to a peer after the first", peer).increment();
    }

    void rejected(ConnectionRejection reason) {
        rejected.get(reason).increment();
    }

    /** Registers the gauges of one network instance; {@link #unregisterGauges()} removes them on close. */
    synchronized void registerGauges(Supplier<Number> outboundConnected, Supplier<Number> inboundConnected,
                                     int[] peers, PeerGauge queueMessages, PeerGauge queueBytes) {
        unregisterGauges();
        gauges.add(Gauge.builder("sequencer.network.peers.connected", outboundConnected)
                .description("Peers with an authenticated connection, by direction")
                .tag("direction", "outbound").strongReference(true).register(registry));
        gauges.add(Gauge.builder("sequencer.network.peers.connected", inboundConnected)
                .description("Peers with an authenticated connection, by direction")
                .tag("direction", "inbound").strongReference(true).register(registry));
        int others = peers.length;
        gauges.add(Gauge.builder("sequencer.network.peers", () -> others)
                .description("Peers of this validator (the committee less itself): what peers.connected reaches when all are up")
                .strongReference(true).register(registry));
        for (int p : peers) {
            gauges.add(Gauge.builder("sequencer.network.queue.messages", () -> queueMessages.value(p))
                    .description("Messages queued for a peer")
                    .tag("peer", Integer.toString(p)).strongReference(true).register(registry));
            gauges.add(Gauge.builder("sequencer.network.queue.bytes", () -> queueBytes.value(p))
                    .description("Bytes queued for a peer")
                    .tag("peer", Integer.toString(p)).strongReference(true).register(registry));
        }
    }

    synchronized void unregisterGauges() {
        for (Meter m : gauges) registry.remove(m);
        gauges.clear();
    }

    /** Times connections were rejected for this reason (tests, status). */
    public double rejectedCount(ConnectionRejection reason) {
        return rejected.get(reason).count();
    }

    /** Value of a per-peer counter, 0 if it was never incremented. Names are the suffix after "sequencer.network.". */
    public double peerCount(String name, int peer) {
        Counter c = counters.get("sequencer.network." + name + '/' + peer);
        return c == null ? 0 : c.count();
    }

    @FunctionalInterface
    interface PeerGauge {
        Number value(int peer);
    }
}
