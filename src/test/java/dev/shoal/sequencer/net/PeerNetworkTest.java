package dev.shoal.sequencer.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.sequencer.core.types.Digest;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Four validators on loopback with real keys: delivery, order, sender identity, queues and reconnects. */
class PeerNetworkTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Vertx vertx;
    private final List<TestNode> nodes = new ArrayList<>();
    private long seed;
    private Random random;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        seed = NetFixtures.seed();
        random = new Random(seed);
        System.out.println("PeerNetworkTest seed " + seed + " (SHOAL_TEST_SEED to repeat)");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (TestNode n : nodes) n.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private TestNode node(NetFixtures.Members m, int index, NetworkSettings settings) {
        TestNode n = new TestNode(vertx, m, index, settings);
        nodes.add(n);
        return n;
    }

    @Test
    void everyPairExchangesEveryKindInOrderWithTheRightSender() {
        NetFixtures.Members m = NetFixtures.committee(4, 7, random);
        List<TestNode> committee = new ArrayList<>();
        for (int i = 0; i < 4; i++) committee.add(node(m, i, NetFixtures.settings()).start());

        // expected[from][to] = what `to` must receive from `from`, in order.
        List<List<List<PeerMessage>>> expected = new ArrayList<>();
        for (int from = 0; from < 4; from++) {
            List<List<PeerMessage>> row = new ArrayList<>();
            for (int to = 0; to < 4; to++) row.add(new ArrayList<>());
            expected.add(row);
        }
        for (int round = 0; round < 5; round++) {
            for (int from = 0; from < 4; from++) {
                for (PeerMessage msg : NetFixtures.everyKind(m, from, random)) {
                    for (int to = 0; to < 4; to++) {
                        if (to == from) continue;
                        committee.get(from).network.send(to, msg);
                        expected.get(from).get(to).add(msg);
                    }
                }
                PeerMessage all = new PeerMessage.BatchRequest(List.of(NetFixtures.digest(random)));
                committee.get(from).network.broadcast(all);
                for (int to = 0; to < 4; to++) if (to != from) expected.get(from).get(to).add(all);
                committee.get(from).network.send(from, all); // to self: a no-op
            }
        }

        await().atMost(WAIT).untilAsserted(() -> {
            for (int to = 0; to < 4; to++) {
                for (int from = 0; from < 4; from++) {
                    assertThat(committee.get(to).inbox.from(from))
                            .as("node %d from %d (seed %d)", to, from, seed)
                            .isEqualTo(expected.get(from).get(to));
                }
            }
        });
        for (TestNode n : committee) {
            assertThat(n.network.peers()).hasSize(3).allSatisfy(p -> {
                assertThat(p.connected()).isTrue();
                assertThat(p.sent()).isEqualTo(5L * (NetFixtures.everyKind(m, 0, new java.util.Random(0)).size() + 1));
                assertThat(p.dropped()).isZero();
            });
            for (ConnectionRejection r : ConnectionRejection.values()) assertThat(n.metrics.rejectedCount(r)).isZero();
            assertThat(n.registry.get("sequencer.network.peers.connected").tag("direction", "outbound").gauge().value())
                    .isEqualTo(3.0);
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(committee.get(0).network.peers())
                .allSatisfy(p -> assertThat(p.inboundConnected()).isTrue()));
        assertThat(committee.get(1).metrics.peerCount("messages.received", 0)).isEqualTo(5.0 * (NetFixtures.everyKind(m, 0, new java.util.Random(0)).size() + 1));
    }

    @Test
    void queuedMessagesAreDeliveredOnceThePeerComesUpAndOverflowDropsTheOldest() {
        NetFixtures.Members m = NetFixtures.committee(2, 0, random);
        NetworkSettings bounded = NetFixtures.settings().withQueue(20, 1 << 20);
        TestNode sender = node(m, 0, bounded).start();

        // Peer 1 is down: the link keeps failing to connect while messages pile up in its bounded queue.
        await().atMost(WAIT).until(() -> sender.status(1).reconnects() >= 1);
        List<PeerMessage> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            PeerMessage msg = new PeerMessage.RangeRequest(i, 1);
            sender.network.send(1, msg);
            sent.add(msg);
        }
        assertThat(sender.status(1).queuedMessages()).isEqualTo(20);
        assertThat(sender.status(1).dropped()).isEqualTo(30);
        assertThat(sender.metrics.peerCount("messages.dropped", 1)).isEqualTo(30);

        TestNode receiver = node(m, 1, bounded).start();
        await().atMost(WAIT).until(() -> receiver.inbox.size() == 20);
        assertThat(receiver.inbox.from(0)).isEqualTo(sent.subList(30, 50));
        assertThat(sender.status(1).queuedMessages()).isZero();

        // Stop the receiver, keep sending, start it again on the same port: the queue is delivered.
        receiver.close();
        await().atMost(WAIT).until(() -> !sender.status(1).connected());
        List<PeerMessage> later = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            PeerMessage msg = new PeerMessage.BatchRequest(List.of(NetFixtures.digest(random)));
            sender.network.send(1, msg);
            later.add(msg);
        }
        TestNode restarted = node(m, 1, bounded).start();
        assertThat(restarted.network.boundPort()).isEqualTo(m.port(1));
        await().atMost(WAIT).until(() -> restarted.inbox.size() == 20);
        assertThat(restarted.inbox.from(0)).isEqualTo(later.subList(5, 25));
        assertThat(sender.status(1).dropped()).isEqualTo(35);
        assertThat(sender.status(1).connected()).isTrue();
    }

    @Test
    void byteBoundDropsTheOldestAndOversizedMessagesAreNotSent() {
        NetFixtures.Members m = NetFixtures.committee(2, 0, random);
        // Each BatchRequest of 10 digests is 1 + 8 + 320 = 329 bytes; 1000 bytes hold three of them.
        NetworkSettings bounded = NetFixtures.settings().withQueue(1000, 1000);
        TestNode sender = node(m, 0, bounded).start();
        List<PeerMessage> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            List<Digest> ds = new ArrayList<>();
            for (int k = 0; k < 10; k++) ds.add(NetFixtures.digest(random));
            PeerMessage msg = new PeerMessage.BatchRequest(ds);
            sender.network.send(1, msg);
            sent.add(msg);
        }
        assertThat(sender.status(1).queuedMessages()).isEqualTo(3);
        assertThat(sender.status(1).queuedBytes()).isEqualTo(3 * 329);
        assertThat(sender.status(1).dropped()).isEqualTo(2);

        List<Digest> huge = new ArrayList<>();
        for (int k = 0; k < 40_000; k++) huge.add(NetFixtures.digest(random)); // 1.28 MB > 1 MB frames
        sender.network.send(1, new PeerMessage.BatchRequest(huge));
        assertThat(sender.status(1).dropped()).isEqualTo(3);

        TestNode receiver = node(m, 1, bounded).start();
        await().atMost(WAIT).until(() -> receiver.inbox.size() == 3);
        assertThat(receiver.inbox.from(0)).isEqualTo(sent.subList(2, 5));
    }
}
