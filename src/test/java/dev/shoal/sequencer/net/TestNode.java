package dev.shoal.sequencer.net;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/** One validator's peer network with its own inbox and meter registry. */
final class TestNode implements AutoCloseable {
    final int index;
    final Inbox inbox = new Inbox();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final NetworkMetrics metrics = new NetworkMetrics(registry);
    final PeerNetwork network;

    TestNode(Vertx vertx, NetFixtures.Members members, int index, NetworkSettings settings) {
        this.index = index;
        this.network = new PeerNetwork(vertx, members.committee(), index, members.key(index), settings, inbox, metrics);
    }

    TestNode start() {
        try {
            network.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("node " + index + " did not start: " + e.getMessage(), e);
        }
        return this;
    }

    PeerStatus status(int peer) {
        return network.peers().stream().filter(p -> p.index() == peer).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        network.close();
    }
}
