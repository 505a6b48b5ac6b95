package dev.shoal.sequencer.net;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The hashes both sides sign and the keys they derive. Each hash starts with its own domain tag,
 * so a server signature can never be replayed as a client signature or as a signature of the core.
 */
final class Transcript {
    private static final String SERVER_AUTH = "shoal-net/v1 server-auth";
    private static final String CLIENT_AUTH = "shoal-net/v1 client-auth";
    private static final byte[] FRAME_KEY_INFO = "shoal-net/v1 client-to-server frames".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ACCEPT_INFO = "shoal-net/v1 server accept".getBytes(StandardCharsets.US_ASCII);

    private Transcript() {}

    /** What the server signs: its tag, the hello, its ephemeral key and nonce. */
    static byte[] serverAuthHash(byte[] hello, byte[] serverEphemeral, byte[] serverNonce) {
        return hash(SERVER_AUTH, hello, serverEphemeral, serverNonce);
    }

    /** What the client signs: its tag, the hello and the whole server auth (including the server's signature). */
    static byte[] clientAuthHash(byte[] hello, byte[] serverAuth) {
        return hash(CLIENT_AUTH, hello, serverAuth);
    }

    private static byte[] hash(String domain, byte[]... parts) {
        SHA256Digest d = new SHA256Digest();
        byte[] tag = domain.getBytes(StandardCharsets.US_ASCII);
        d.update(tag, 0, tag.length);
        d.update((byte) 0);
        for (byte[] p : parts) d.update(p, 0, p.length);
        byte[] out = new byte[d.getDigestSize()];
        d.doFinal(out, 0);
        return out;
    }

    /** The key of the client-to-server frame MACs: HKDF-SHA256(shared secret, salt = final transcript hash). */
    static byte[] frameKey(byte[] sharedSecret, byte[] transcriptHash) {
        return hkdf(sharedSecret, transcriptHash, FRAME_KEY_INFO);
    }

    /** The token the server returns to prove it accepted the client and derived the same keys. */
    static byte[] acceptToken(byte[] sharedSecret, byte[] transcriptHash) {
        return hkdf(sharedSecret, transcriptHash, ACCEPT_INFO);
    }

    private static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info) {
        HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest());
        g.init(new HKDFParameters(ikm, salt, info));
        byte[] out = new byte[32];
        g.generateBytes(out, 0, out.length);
        return out;
    }
}
