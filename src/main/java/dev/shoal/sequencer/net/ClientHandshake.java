package dev.shoal.sequencer.net;

import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.PublicKey;
import dev.shoal.sequencer.core.types.Signature;
import java.security.MessageDigest;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * The connecting side of the handshake, without I/O: {@link #hello()}, then
 * {@link #onServerAuth(byte[])} (returns our signature), then {@link #onAccept(byte[])} (returns
 * the MAC state for our frames). Any deviation throws {@link HandshakeException}.
 */
final class ClientHandshake {
    private final KeyPair key;
    private final PublicKey serverKey;
    private final byte[] ephemeralSecret = new byte[X25519.SCALAR_SIZE];
    private final byte[] hello;
    private byte[] sharedSecret;
    private byte[] transcriptHash;

    ClientHandshake(Committee committee, int self, KeyPair key, int server, SecureRandom random) {
        this.key = key;
        this.serverKey = committee.validator(server).publicKey();
        X25519.generatePrivateKey(random, ephemeralSecret);
        byte[] ephemeralPublic = new byte[X25519.POINT_SIZE];
        X25519.generatePublicKey(ephemeralSecret, 0, ephemeralPublic, 0);
        byte[] nonce = new byte[HandshakeMessages.NONCE];
        random.nextBytes(nonce);
        this.hello = new HandshakeMessages.Hello(HandshakeMessages.VERSION, committee.epoch(), self, server,
                ephemeralPublic, nonce).encode();
    }

    byte[] hello() {
        return hello.clone();
    }

    /** Checks the server's signature and key, and returns our signature over the transcript. */
    byte[] onServerAuth(byte[] frame) throws HandshakeException {
        HandshakeMessages.ServerAuth auth = HandshakeMessages.ServerAuth.decode(frame);
        byte[] signed = Transcript.serverAuthHash(hello, auth.ephemeral(), auth.nonce());
        if (!serverKey.verify(signed, Signature.of(auth.signature()))) {
            throw new HandshakeException("server signature does not verify under its committee key");
        }
        byte[] shared = new byte[X25519.POINT_SIZE];
        if (!X25519.calculateAgreement(ephemeralSecret, 0, auth.ephemeral(), 0, shared, 0)) {
            throw new HandshakeException("server ephemeral key is degenerate");
        }
        this.sharedSecret = shared;
        this.transcriptHash = Transcript.clientAuthHash(hello, frame);
        return key.sign(transcriptHash).toBytes();
    }

    /** Checks the server's accept token and returns the MAC state of our frames. */
    FrameMac onAccept(byte[] frame) throws HandshakeException {
        if (transcriptHash == null) throw new HandshakeException("accept before server auth");
        if (!MessageDigest.isEqual(frame, Transcript.acceptToken(sharedSecret, transcriptHash))) {
            throw new HandshakeException("server accept token does not match");
        }
        return new FrameMac(Transcript.frameKey(sharedSecret, transcriptHash));
    }
}
