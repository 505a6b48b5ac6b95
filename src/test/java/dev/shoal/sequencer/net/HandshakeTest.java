package dev.shoal.sequencer.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.sequencer.core.types.Committee;
import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The handshake state machines without sockets: both sides agree on keys, every tampering is caught. */
class HandshakeTest {
    private final SecureRandom random = new SecureRandom();
    private NetFixtures.Members m;
    private Committee committee;

    @BeforeEach
    void setUp() {
        m = NetFixtures.committee(4, 5, new Random(42));
        committee = m.committee();
    }

    private ServerHandshake server(int self) {
        return new ServerHandshake(committee, self, m.key(self), random);
    }

    @Test
    void bothSidesDeriveTheSameFrameKey() throws Exception {
        ClientHandshake client = new ClientHandshake(committee, 2, m.key(2), 0, random);
        ServerHandshake server = server(0);
        byte[] clientAuth = client.onServerAuth(server.onHello(client.hello()));
        ServerHandshake.Accepted accepted = server.onClientAuth(clientAuth);
        assertThat(accepted.client()).isEqualTo(2);
        FrameMac sending = client.onAccept(accepted.token());
        FrameMac receiving = accepted.frameMac();
        for (int i = 0; i < 5; i++) {
            byte[] payload = ("frame " + i).getBytes();
            assertThat(receiving.verify(payload, sending.seal(payload))).isTrue();
        }
        // Out of step (a skipped frame) fails from then on.
        sending.seal(new byte[] {1});
        byte[] p = {2};
        assertThat(receiving.verify(p, sending.seal(p))).isFalse();
    }

    @Test
    void sessionsHaveDistinctKeys() throws Exception {
        FrameMac a = session(1, 3);
        FrameMac b = session(1, 3);
        byte[] p = {9, 9};
        assertThat(a.seal(p)).isNotEqualTo(b.seal(p));
    }

    private FrameMac session(int client, int server) throws Exception {
        ClientHandshake c = new ClientHandshake(committee, client, m.key(client), server, random);
        ServerHandshake s = server(server);
        ServerHandshake.Accepted acc = s.onClientAuth(c.onServerAuth(s.onHello(c.hello())));
        return c.onAccept(acc.token());
    }

    @Test
    void clientRefusesATamperedOrForeignServerAuth() throws Exception {
        ClientHandshake client = new ClientHandshake(committee, 2, m.key(2), 0, random);
        byte[] auth = server(0).onHello(client.hello());
        for (int i : new int[] {0, 40, 100}) {
            byte[] bad = auth.clone();
            bad[i] ^= 1;
            assertThatThrownBy(() -> new ClientHandshake(committee, 2, m.key(2), 0, random).onServerAuth(bad))
                    .isInstanceOf(HandshakeException.class);
            assertThatThrownBy(() -> client.onServerAuth(bad)).isInstanceOf(HandshakeException.class);
        }
        // Signed by validator 1, but we dialled validator 0.
        ClientHandshake c2 = new ClientHandshake(committee, 2, m.key(2), 0, random);
        byte[] foreign = new ServerHandshake(committee, 0, m.key(1), random).onHello(c2.hello());
        assertThatThrownBy(() -> c2.onServerAuth(foreign)).isInstanceOf(HandshakeException.class)
                .hasMessageContaining("server signature");
        assertThatThrownBy(() -> c2.onServerAuth(new byte[12])).isInstanceOf(HandshakeException.class);
    }

    @Test
    void clientRefusesAWrongAcceptToken() throws Exception {
        ClientHandshake client = new ClientHandshake(committee, 2, m.key(2), 0, random);
        ServerHandshake server = server(0);
        ServerHandshake.Accepted acc = server.onClientAuth(client.onServerAuth(server.onHello(client.hello())));
        byte[] token = acc.token().clone();
        token[31] ^= 1;
        assertThatThrownBy(() -> client.onAccept(token)).isInstanceOf(HandshakeException.class);
        assertThatThrownBy(() -> new ClientHandshake(committee, 2, m.key(2), 0, random).onAccept(acc.token()))
                .isInstanceOf(HandshakeException.class);
    }

    @Test
    void serverRefusesBadClientAuth() throws Exception {
        ClientHandshake client = new ClientHandshake(committee, 3, m.key(3), 1, random);
        ServerHandshake server = server(1);
        byte[] sig = client.onServerAuth(server.onHello(client.hello()));
        byte[] bad = sig.clone();
        bad[5] ^= 4;
        assertThatThrownBy(() -> server.onClientAuth(bad)).isInstanceOf(HandshakeException.class);
        assertThatThrownBy(() -> server.onClientAuth(new byte[63])).isInstanceOf(HandshakeException.class);
        assertThatThrownBy(() -> server.onHello(client.hello())).isInstanceOf(HandshakeException.class)
                .hasMessageContaining("second hello");
        assertThatThrownBy(() -> server(1).onClientAuth(sig)).isInstanceOf(HandshakeException.class)
                .hasMessageContaining("before hello");
    }

    @Test
    void serverRefusesHellosThatDoNotFit() {
        byte[] valid = new ClientHandshake(committee, 3, m.key(3), 1, random).hello();
        byte[] version = valid.clone();
        version[8] = 2;
        assertThatThrownBy(() -> server(1).onHello(version)).hasMessageContaining("version");
        byte[] unknownIndex = new ClientHandshake(committee, 3, m.key(3), 1, random).hello();
        unknownIndex[20] = 9; // client index u32 at offset 8 + 4 + 8
        assertThatThrownBy(() -> server(1).onHello(unknownIndex)).hasMessageContaining("claims index 9");
        byte[] hugeIndex = valid.clone();
        hugeIndex[27] = (byte) 0x80; // top byte of the server index
        assertThatThrownBy(() -> server(1).onHello(hugeIndex)).isInstanceOf(HandshakeException.class);
    }

    @Test
    void degenerateEphemeralKeysAreRefusedOnBothSides() throws Exception {
        // A client that signs properly but offers the all-zero X25519 key (the shared secret would be zero).
        byte[] hello = new ClientHandshake(committee, 3, m.key(3), 1, random).hello();
        java.util.Arrays.fill(hello, 28, 60, (byte) 0);
        ServerHandshake s = server(1);
        byte[] serverAuth = s.onHello(hello);
        byte[] sig = m.key(3).sign(Transcript.clientAuthHash(hello, serverAuth)).toBytes();
        assertThatThrownBy(() -> s.onClientAuth(sig)).isInstanceOf(HandshakeException.class).hasMessageContaining("degenerate");

        // A server that signs properly but offers the all-zero key.
        ClientHandshake c = new ClientHandshake(committee, 3, m.key(3), 1, random);
        byte[] zeroKey = new byte[32];
        byte[] nonce = new byte[32];
        byte[] serverSig = m.key(1).sign(Transcript.serverAuthHash(c.hello(), zeroKey, nonce)).toBytes();
        byte[] auth = new HandshakeMessages.ServerAuth(zeroKey, nonce, serverSig).encode();
        assertThatThrownBy(() -> c.onServerAuth(auth)).isInstanceOf(HandshakeException.class).hasMessageContaining("degenerate");
    }
}
