package dev.shoal.sequencer.net;

import dev.shoal.sequencer.core.codec.CanonicalReader;
import dev.shoal.sequencer.core.codec.CanonicalWriter;
import dev.shoal.sequencer.core.codec.CodecException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fixed-size messages of the handshake (see package-info for the protocol). Each one travels
 * in a plain length-prefixed frame; sizes are fixed so a decoder accepts exactly one length.
 */
final class HandshakeMessages {
    static final byte[] MAGIC = "SHOALNET".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int KEY = 32;
    static final int NONCE = 32;
    static final int SIGNATURE = 64;
    static final int TOKEN = 32;
    /** Largest handshake frame; a longer length prefix is refused before reading it. */
    static final int MAX_FRAME = 256;

    private HandshakeMessages() {}

    /** Client to server: who I am, whom I want, my ephemeral key and nonce. */
    record Hello(int version, long epoch, int clientIndex, int serverIndex, byte[] ephemeral, byte[] nonce) {
        static final int SIZE = 8 + 4 + 8 + 4 + 4 + KEY + NONCE;

        byte[] encode() {
            CanonicalWriter w = new CanonicalWriter(SIZE);
            w.fixed(MAGIC).u32(version).u64(epoch).u32(clientIndex).u32(serverIndex).fixed(ephemeral).fixed(nonce);
            return w.toByteArray();
        }

        static Hello decode(byte[] bytes) throws HandshakeException {
            if (bytes.length != SIZE) throw new HandshakeException("hello is " + bytes.length + " bytes, expected " + SIZE);
            try {
                CanonicalReader in = new CanonicalReader(bytes);
                if (!Arrays.equals(in.fixed(MAGIC.length), MAGIC)) throw new HandshakeException("bad magic");
                int version = (int) in.u32();
                long epoch = in.u64();
                long client = in.u32();
                long server = in.u32();
                if (client > Integer.MAX_VALUE || server > Integer.MAX_VALUE) throw new HandshakeException("index out of range");
                return new Hello(version, epoch, (int) client, (int) server, in.fixed(KEY), in.fixed(NONCE));
            } catch (CodecException e) {
                throw new HandshakeException("malformed hello: " + e.getMessage());
            }
        }
    }

    /** Server to client: my ephemeral key, my nonce, my committee signature over the transcript. */
    record ServerAuth(byte[] ephemeral, byte[] nonce, byte[] signature) {
        static final int SIZE = KEY + NONCE + SIGNATURE;

        byte[] encode() {
            return new CanonicalWriter(SIZE).fixed(ephemeral).fixed(nonce).fixed(signature).toByteArray();
        }

        static ServerAuth decode(byte[] bytes) throws HandshakeException {
            if (bytes.length != SIZE) {
                throw new HandshakeException("server auth is " + bytes.length + " bytes, expected " + SIZE);
            }
            return new ServerAuth(Arrays.copyOfRange(bytes, 0, KEY), Arrays.copyOfRange(bytes, KEY, KEY + NONCE),
                    Arrays.copyOfRange(bytes, KEY + NONCE, SIZE));
        }
    }
}
