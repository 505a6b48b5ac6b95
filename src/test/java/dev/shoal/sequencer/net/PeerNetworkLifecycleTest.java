package dev.shoal.sequencer.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Validator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Construction checks, start and close rules, and a clear error when the port is taken. */
class PeerNetworkLifecycleTest {
    private Vertx vertx;
    private NetFixtures.Members m;
    private final NetworkMetrics metrics = new NetworkMetrics(new SimpleMeterRegistry());

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        m = NetFixtures.committee(3, 0, new Random(11));
    }

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private PeerNetwork network(Committee c, int self, KeyPair key) {
        return new PeerNetwork(vertx, c, self, key, NetFixtures.settings(), (from, msg) -> { }, metrics);
    }

    @Test
    void constructionChecksIdentityAndAddresses() {
        assertThatThrownBy(() -> network(m.committee(), 3, m.key(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not in the committee");
        assertThatThrownBy(() -> network(m.committee(), 0, m.key(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not the committee key");
        List<Validator> vs = new java.util.ArrayList<>(m.committee().validators());
        Validator v2 = vs.get(2);
        vs.set(2, new Validator(v2.name(), v2.publicKey(), 1, "no-port-here"));
        assertThatThrownBy(() -> network(new Committee(0, vs), 0, m.key(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("validator 2").hasMessageContaining("host:port");
    }

    @Test
    void startOnceCloseIdempotent() throws Exception {
        PeerNetwork n = network(m.committee(), 0, m.key(0));
        assertThat(n.boundPort()).isEqualTo(-1);
        n.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(n.boundPort()).isEqualTo(m.port(0));
        assertThatThrownBy(n::start).isInstanceOf(IllegalStateException.class);
        assertThat(n.peers()).extracting(PeerStatus::index).containsExactly(1, 2);
        n.close();
        n.close();
        n.send(1, new PeerMessage.RangeRequest(0, 1)); // after close: ignored, no exception
        assertThat(n.peers().get(0).queuedMessages()).isZero();
        // The port is free again.
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", m.port(0)));
        }
        network(m.committee(), 1, m.key(1)).close(); // never started
    }

    @Test
    void aTakenPortIsAClearStartupError() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", m.port(1)));
            PeerNetwork n = network(m.committee(), 1, m.key(1));
            try {
                assertThatThrownBy(() -> n.start().toCompletableFuture().get(10, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("cannot bind the peer endpoint on 127.0.0.1:" + m.port(1));
            } finally {
                n.close();
            }
        }
    }

    @Test
    void settingsAreChecked() {
        NetworkSettings d = NetworkSettings.defaults();
        assertThat(d.maxFrameBytes()).isEqualTo(16 * 1024 * 1024);
        assertThatThrownBy(() -> d.withQueue(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withListen("0.0.0.0", 70000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withBackoff(java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(PeerAddress.parse("[::1]:9000")).isEqualTo(new PeerAddress("::1", 9000));
        assertThat(PeerAddress.parse("v0.example:9000").toString()).isEqualTo("v0.example:9000");
        assertThatThrownBy(() -> PeerAddress.parse("host:0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PeerAddress.parse(":9000")).isInstanceOf(IllegalArgumentException.class);
    }
}
