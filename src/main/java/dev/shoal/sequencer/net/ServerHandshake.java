package dev.shoal.sequencer.net;

import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Signature;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * The accepting side of the handshake, without I/O: {@link #onHello(byte[])} (returns our signed
 * server auth), then {@link #onClientAuth(byte[])} (returns the accept token and the MAC state of
 * the client's frames). The client is known only after its signature verified.
 */
final class ServerHandshake {
    /** The outcome of a successful handshake. */
    record Accepted(int client, byte[] token, FrameMac frameMac) {}

    private final Committee committee;
    private final int self;
    private final KeyPair key;
    private final SecureRandom random;
    private byte[] hello;
    private HandshakeMessages.Hello parsedHello;
    private byte[] ephemeralSecret;
    private byte[] serverAuth;

    ServerHandshake(Committee committee, int self, KeyPair key, SecureRandom random) {
        this.committee = committee;
        this.self = self;
        this.key = key;
        this.random = random;
    }

    /** Checks the hello against the committee and returns our server auth. */
    byte[] onHello(byte[] frame) throws HandshakeException {
        if (parsedHello != null) throw new HandshakeException("second hello");
        HandshakeMessages.Hello h = HandshakeMessages.Hello.decode(frame);
        this.parsedHello = h; // for the log line of a refusal; trusted only after onClientAuth
        if (h.version() != HandshakeMessages.VERSION) throw new HandshakeException("unsupported protocol version " + h.version());
        if (h.epoch() != committee.epoch()) {
            throw new HandshakeException("epoch " + h.epoch() + " is not the committee epoch " + committee.epoch());
        }
        if (h.serverIndex() != self) throw new HandshakeException("hello meant for validator " + h.serverIndex() + ", we are " + self);
        if (!committee.isMember(h.clientIndex()) || h.clientIndex() == self) {
            throw new HandshakeException("client claims index " + h.clientIndex() + ", not another committee member");
        }
        byte[] secret = new byte[X25519.SCALAR_SIZE];
        X25519.generatePrivateKey(random, secret);
        byte[] ephemeralPublic = new byte[X25519.POINT_SIZE];
        X25519.generatePublicKey(secret, 0, ephemeralPublic, 0);
        byte[] nonce = new byte[HandshakeMessages.NONCE];
        random.nextBytes(nonce);
        byte[] signature = key.sign(Transcript.serverAuthHash(frame, ephemeralPublic, nonce)).toBytes();
        this.hello = frame.clone();
        this.ephemeralSecret = secret;
        this.serverAuth = new HandshakeMessages.ServerAuth(ephemeralPublic, nonce, signature).encode();
        return serverAuth.clone();
    }

    /** The index the client claims (authenticated only once {@link #onClientAuth} succeeded). */
    int claimedClient() {
        return parsedHello == null ? -1 : parsedHello.clientIndex();
    }

    /** Verifies the client's signature with its pinned committee key and derives the session keys. */
    Accepted onClientAuth(byte[] frame) throws HandshakeException {
        if (serverAuth == null) throw new HandshakeException("client auth before hello");
        if (frame.length != HandshakeMessages.SIGNATURE) {
            throw new HandshakeException("client auth is " + frame.length + " bytes, expected " + HandshakeMessages.SIGNATURE);
        }
        byte[] transcriptHash = Transcript.clientAuthHash(hello, serverAuth);
        int client = parsedHello.clientIndex();
        if (!committee.validator(client).publicKey().verify(transcriptHash, Signature.of(frame))) {
            throw new HandshakeException("client signature does not verify under the key of validator " + client);
        }
        byte[] shared = new byte[X25519.POINT_SIZE];
        if (!X25519.calculateAgreement(ephemeralSecret, 0, parsedHello.ephemeral(), 0, shared, 0)) {
            throw new HandshakeException("client ephemeral key is degenerate");
        }
        return new Accepted(client, Transcript.acceptToken(shared, transcriptHash),
                new FrameMac(Transcript.frameKey(shared, transcriptHash)));
    }
}
