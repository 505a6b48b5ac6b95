package dev.shoal.sequencer.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Transaction;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Volume through the socket's write-queue backpressure, and senders on many threads at once. */
class BackpressureTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private Vertx vertx;
    private final List<TestNode> nodes = new ArrayList<>();
    private long seed;
    private Random random;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        seed = NetFixtures.seed();
        random = new Random(seed);
        System.out.println("BackpressureTest seed " + seed + " (SHOAL_TEST_SEED to repeat)");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (TestNode n : nodes) n.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private List<TestNode> start(NetFixtures.Members m) {
        List<TestNode> started = new ArrayList<>();
        for (int i = 0; i < m.committee().size(); i++) {
            TestNode n = new TestNode(vertx, m, i, NetFixtures.settings());
            nodes.add(n);
            started.add(n.start());
        }
        for (TestNode n : started) {
            await().atMost(WAIT).until(() -> n.network.peers().stream().allMatch(PeerStatus::connected));
        }
        return started;
    }

    @Test
    void aBurstLargerThanTheSocketBufferArrivesWholeAndInOrder() {
        NetFixtures.Members m = NetFixtures.committee(2, 0, random);
        List<TestNode> c = start(m);
        List<PeerMessage> sent = new ArrayList<>();
        byte[] payload = new byte[16 * 1024];
        for (int i = 0; i < 2_000; i++) {
            random.nextBytes(payload);
            PeerMessage msg = new PeerMessage.BatchPush(new Batch(0, i, List.of(Transaction.of(payload))));
            c.get(0).network.send(1, msg);
            sent.add(msg);
        }
        await().atMost(WAIT).until(() -> c.get(1).inbox.size() == sent.size());
        assertThat(c.get(1).inbox.from(0)).as("seed %d", seed).isEqualTo(sent);
        assertThat(c.get(0).status(1).dropped()).isZero();
        assertThat(c.get(0).status(1).sent()).isEqualTo(2_000);
        assertThat(c.get(0).metrics.peerCount("bytes.sent", 1)).isGreaterThan(2_000.0 * 16 * 1024);
    }

    @Test
    void concurrentSendersKeepTheirOwnOrder() throws Exception {
        NetFixtures.Members m = NetFixtures.committee(3, 0, random);
        List<TestNode> c = start(m);
        int threads = 4;
        int perThread = 500;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long base = t * 1_000_000L;
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) c.get(0).network.broadcast(new PeerMessage.RangeRequest(base + i, 1));
            });
            th.start();
            senders.add(th);
        }
        go.countDown();
        for (Thread th : senders) th.join();
        for (int to = 1; to < 3; to++) {
            TestNode receiver = c.get(to);
            await().atMost(WAIT).until(() -> receiver.inbox.size() == threads * perThread);
            long[] next = new long[threads];
            for (PeerMessage msg : receiver.inbox.from(0)) {
                long round = ((PeerMessage.RangeRequest) msg).fromRound();
                int t = (int) (round / 1_000_000L);
                assertThat(round % 1_000_000L).as("thread %d at receiver %d", t, to).isEqualTo(next[t]);
                next[t]++;
            }
        }
    }
}
