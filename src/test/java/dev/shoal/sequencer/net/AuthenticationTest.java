package dev.shoal.sequencer.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Committee;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real node (validator 1 of four) against raw socket clients: only a committee member proving its
 * key gets a session, and only frames with the right MAC in the right order are delivered.
 */
class AuthenticationTest {
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private Vertx vertx;
    private NetFixtures.Members members;
    private TestNode server;
    private Committee committee;
    private final SecureRandom secure = new SecureRandom();
    private long seed;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        seed = NetFixtures.seed();
        System.out.println("AuthenticationTest seed " + seed + " (SHOAL_TEST_SEED to repeat)");
        members = NetFixtures.committee(4, 3, new Random(seed));
        committee = members.committee();
        server = new TestNode(vertx, members, 1,
                NetFixtures.settings().withMaxFrameBytes(64 * 1024).withHandshakeTimeout(Duration.ofSeconds(1))).start();
    }

    @AfterEach
    void tearDown() throws Exception {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private RawClient connect() throws IOException {
        return new RawClient(server.network.boundPort());
    }

    private byte[] payload(PeerMessage m) {
        return WireCodec.forFrameSize(64 * 1024).encode(m);
    }

    private void assertRejected(ConnectionRejection reason, long times) {
        await().atMost(CLOSE_WAIT).untilAsserted(() -> assertThat(server.metrics.rejectedCount(reason)).isEqualTo(times));
    }

    @Test
    void aMemberWithItsKeyIsAcceptedAndATamperedFrameClosesTheConnection() throws Exception {
        try (RawClient c = connect()) {
            FrameMac mac = c.handshake(new ClientHandshake(committee, 0, members.key(0), 1, secure));
            PeerMessage first = new PeerMessage.RangeRequest(5, 3);
            c.write(RawClient.dataFrame(mac, payload(first)));
            await().atMost(CLOSE_WAIT).until(() -> server.inbox.size() == 1);
            assertThat(server.inbox.all()).containsExactly(new Inbox.Received(0, first));

            byte[] tampered = RawClient.dataFrame(mac, payload(new PeerMessage.RangeRequest(6, 3)));
            tampered[6] ^= 0x01; // inside the payload (after the 4-byte length and the tag)
            c.write(tampered);
            assertThat(c.closedWithin(CLOSE_WAIT)).isTrue();
        }
        assertRejected(ConnectionRejection.MAC, 1);
        assertThat(server.inbox.size()).isEqualTo(1);
    }

    @Test
    void aTamperedMacIsRefused() throws Exception {
        try (RawClient c = connect()) {
            FrameMac mac = c.handshake(new ClientHandshake(committee, 2, members.key(2), 1, secure));
            byte[] frame = RawClient.dataFrame(mac, payload(new PeerMessage.RangeRequest(1, 1)));
            frame[frame.length - 1] ^= (byte) 0x80;
            c.write(frame);
            assertThat(c.closedWithin(CLOSE_WAIT)).isTrue();
        }
        assertRejected(ConnectionRejection.MAC, 1);
        assertThat(server.inbox.size()).isZero();
    }

    @Test
    void aReplayedFrameIsRefused() throws Exception {
        try (RawClient c = connect()) {
            FrameMac mac = c.handshake(new ClientHandshake(committee, 3, members.key(3), 1, secure));
            byte[] frame = RawClient.dataFrame(mac, payload(new PeerMessage.BatchRequest(List.of())));
            c.write(frame);
            c.write(frame);
            assertThat(c.closedWithin(CLOSE_WAIT)).isTrue();
        }
        assertRejected(ConnectionRejection.MAC, 1);
        assertThat(server.inbox.all()).containsExactly(new Inbox.Received(3, new PeerMessage.BatchRequest(List.of())));
    }

    @Test
    void reorderedFramesAreRefused() throws Exception {
        try (RawClient c = connect()) {
            FrameMac mac = c.handshake(new ClientHandshake(committee, 0, members.key(0), 1, secure));
            byte[] first = RawClient.dataFrame(mac, payload(new PeerMessage.RangeRequest(1, 1)));
            byte[] second = RawClient.dataFrame(mac, payload(new PeerMessage.RangeRequest(2, 1)));
            c.write(second);
            c.write(first);
            assertThat(c.closedWithin(CLOSE_WAIT)).isTrue();
        }
        assertRejected(ConnectionRejection.MAC, 1);
        assertThat(server.inbox.size()).isZero();
    }

    @Test
    void aFrameFromAnotherSessionIsRefused() throws Exception {
        byte[] fromOtherSession;
        try (RawClient a = connect()) {
            FrameMac mac = a.handshake(new ClientHandshake(committee, 0, members.key(0), 1, secure));
            fromOtherSession = RawClient.dataFrame(mac, payload(new PeerMessage.RangeRequest(9, 9)));
        }
        try (RawClient b = connect()) {
            b.handshake(new ClientHandshake(committee, 0, members.key(0), 1, secure));
            b.write(fromOtherSession);
            assertThat(b.closedWithin(CLOSE_WAIT)).isTrue();
        }
        assertRejected(ConnectionRejection.MAC, 1);
        assertThat(server.inbox.size()).isZero();
    }

    @Test
    void aKeyOutsideTheCommitteeIsRefused() throws Exception {
        KeyPair outsider = KeyPair.generate();
        try (RawClient c = connect()) {
            ClientHandshake hs = new ClientHandshake(committee, 0, outsider, 1, secure);
            c.writeFrame(hs.hello());
            c.writeFrame(hs.onServerAuth(c.readFrame()));
            assertThat(c.closedWithin(CLOSE_WAIT)).isTrue();
        }
        assertRejected(ConnectionRejection.HANDSHAKE, 1);
        assertThat(server.network.peers()).noneMatch(PeerStatus::inboundConnected);
    }

    @Test
    void aMemberClaimingAnotherIndexIsRefused() throws Exception {
        try (RawClient c = connect()) {
            ClientHandshake hs = new ClientHandshake(committee, 0, members.key(2), 1, secure);
            c.writeFrame(hs.hello());
            c.writeFrame(hs.onServerAuth(c.readFrame()));
            assertThat(c.closedWithin(CLOSE_WAIT)).isTrue();
        }
        assertRejected(ConnectionRejection.HANDSHAKE, 1);
    }

    @Test
    void helloRefusedForWrongEpochWrongServerOrOwnIndex() throws Exception {
        List<ClientHandshake> bad = List.of(
                new ClientHandshake(NetFixtures.withEpoch(committee, 4), 0, members.key(0), 1, secure),
                new ClientHandshake(committee, 0, members.key(0), 2, secure),
                new ClientHandshake(committee, 1, members.key(1), 1, secure));
        int n = 0;
        for (ClientHandshake hs : bad) {
            try (RawClient c = connect()) {
                c.writeFrame(hs.hello());
                // Refused at the hello: no server auth, the connection just closes.
                assertThat(c.closedWithin(CLOSE_WAIT)).isTrue();
            }
            assertRejected(ConnectionRejection.HANDSHAKE, ++n);
        }
        assertThat(server.inbox.size()).isZero();
    }

    @Test
    void garbageIsRefusedAsAHandshakeFailure() throws Exception {
        try (RawClient c = connect()) {
            c.writeFrame("GET / HTTP/1.1 and some more bytes".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.closedWithin(CLOSE_WAIT)).isTrue();
        }
        assertRejected(ConnectionRejection.HANDSHAKE, 1);
        try (RawClient c = connect()) {
            byte[] wrongMagic = new ClientHandshake(committee, 0, members.key(0), 1, secure).hello();
            wrongMagic[0] = 'X';
            c.writeFrame(wrongMagic);
            assertThat(c.closedWithin(CLOSE_WAIT)).isTrue();
        }
        assertRejected(ConnectionRejection.HANDSHAKE, 2);
    }

    @Test
    void anOversizedLengthPrefixIsRefusedBeforeReading() throws Exception {
        try (RawClient c = connect()) {
            c.write(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x7F});
            assertThat(c.closedWithin(CLOSE_WAIT)).isTrue();
        }
        assertRejected(ConnectionRejection.OVERSIZED, 1);
        // After the handshake the limit is maxFrameBytes: one byte more is refused.
        try (RawClient c = connect()) {
            c.handshake(new ClientHandshake(committee, 0, members.key(0), 1, secure));
            int tooLong = 64 * 1024 + 1;
            c.write(new byte[] {(byte) tooLong, (byte) (tooLong >>> 8), (byte) (tooLong >>> 16), 0});
            assertThat(c.closedWithin(CLOSE_WAIT)).isTrue();
        }
        assertRejected(ConnectionRejection.OVERSIZED, 2);
    }

    @Test
    void anAuthenticatedFrameThatDoesNotDecodeIsMalformed() throws Exception {
        try (RawClient c = connect()) {
            FrameMac mac = c.handshake(new ClientHandshake(committee, 0, members.key(0), 1, secure));
            c.write(RawClient.dataFrame(mac, new byte[] {(byte) 0xEE, 1, 2, 3}));
            assertThat(c.closedWithin(CLOSE_WAIT)).isTrue();
        }
        assertRejected(ConnectionRejection.MALFORMED, 1);
        assertThat(server.inbox.size()).isZero();
    }

    @Test
    void aSilentConnectionTimesOut() throws Exception {
        try (RawClient c = connect()) {
            c.write(new byte[] {120, 0}); // half a length prefix, then nothing
            assertThat(c.closedWithin(CLOSE_WAIT)).isTrue();
        }
        assertRejected(ConnectionRejection.HANDSHAKE, 1);
    }

    @Test
    void aClientThatStopsAfterItsHelloTimesOut() throws Exception {
        try (RawClient c = connect()) {
            c.writeFrame(new ClientHandshake(committee, 0, members.key(0), 1, secure).hello());
            c.readFrame();
            assertThat(c.closedWithin(CLOSE_WAIT)).isTrue();
        }
        assertRejected(ConnectionRejection.HANDSHAKE, 1);
    }

    @Test
    void anImpostorServerIsRefusedByTheClient() throws Exception {
        // Validator 1 dials validator 0's address, where someone without validator 0's key answers.
        KeyPair impostorKey = KeyPair.generate();
        try (java.net.ServerSocket impostor = new java.net.ServerSocket()) {
            impostor.setReuseAddress(true);
            impostor.bind(new java.net.InetSocketAddress("127.0.0.1", members.port(0)));
            impostor.setSoTimeout(10_000);
            try (java.net.Socket s = impostor.accept()) {
                s.setSoTimeout(10_000);
                var in = new java.io.DataInputStream(s.getInputStream());
                byte[] len = new byte[4];
                in.readFully(len);
                byte[] hello = new byte[len[0] & 0xFF];
                in.readFully(hello);
                ServerHandshake fake = new ServerHandshake(committee, 0, impostorKey, secure);
                s.getOutputStream().write(FrameReader.frame(fake.onHello(hello)).getBytes());
                // The client must hang up rather than sign.
                assertThat(in.read()).isEqualTo(-1);
            }
        }
        assertRejected(ConnectionRejection.HANDSHAKE, 1);
        assertThat(server.status(0).connected()).isFalse();
        assertThat(server.status(0).sent()).isZero();
    }

    @Test
    void handshakeMessagesThemselvesCannotBeReplayedIntoANewSession() throws Exception {
        byte[] oldClientAuth;
        try (RawClient a = connect()) {
            ClientHandshake hs = new ClientHandshake(committee, 0, members.key(0), 1, secure);
            a.writeFrame(hs.hello());
            oldClientAuth = hs.onServerAuth(a.readFrame());
        }
        // Same hello bytes are fine to resend, but the server's fresh key and nonce change the transcript.
        try (RawClient b = connect()) {
            ClientHandshake hs = new ClientHandshake(committee, 0, members.key(0), 1, secure);
            b.writeFrame(hs.hello());
            b.readFrame();
            b.writeFrame(oldClientAuth);
            assertThat(b.closedWithin(CLOSE_WAIT)).isTrue();
        }
        // The first client hung up itself (not a rejection); the second sent a signature of another transcript.
        assertRejected(ConnectionRejection.HANDSHAKE, 1);
    }

    @Test
    void unauthenticatedConnectionsAreBounded() throws Exception {
        // Validator 2 with a long handshake timeout, so only the bound can close a connection here. Validator 1
        // is stopped first: its own link to validator 2 would otherwise compete for the pending slots.
        server.close();
        try (TestNode patient = new TestNode(vertx, members, 2,
                NetFixtures.settings().withHandshakeTimeout(Duration.ofSeconds(60))).start()) {
            List<RawClient> silent = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < PeerNetwork.MAX_PENDING_HANDSHAKES; i++) silent.add(new RawClient(patient.network.boundPort()));
                try (RawClient extra = new RawClient(patient.network.boundPort())) {
                    assertThat(extra.closedWithin(CLOSE_WAIT)).isTrue();
                }
                assertThat(patient.metrics.rejectedCount(ConnectionRejection.HANDSHAKE)).isEqualTo(1);
                assertThat(silent.get(0).closedWithin(Duration.ofMillis(200))).isFalse();
            } finally {
                for (RawClient c : silent) c.close();
            }
            // Once they are gone, a member can connect again.
            await().atMost(CLOSE_WAIT).untilAsserted(() -> {
                try (RawClient c = new RawClient(patient.network.boundPort())) {
                    c.handshake(new ClientHandshake(committee, 0, members.key(0), 2, secure));
                }
            });
        }
    }
}
