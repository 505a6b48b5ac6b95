package dev.shoal.sequencer.core.types;

import dev.shoal.sequencer.core.codec.CanonicalReader;
import dev.shoal.sequencer.core.codec.CanonicalWriter;
import java.util.Arrays;

/** A validator's identity: its 32-byte Ed25519 public key, shown as hex. */
public final class PublicKey implements Comparable<PublicKey> {
    public static final int LENGTH = 32;

    private final byte[] bytes;

    private PublicKey(byte[] bytes) {
        this.bytes = bytes;
    }

    public static PublicKey of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("an Ed25519 public key is " + LENGTH + " bytes, got " + bytes.length);
        }
        return new PublicKey(bytes.clone());
    }

    public static PublicKey fromHex(String hex) {
        return of(Hex.decode(hex));
    }

    /** True when the signature is a valid Ed25519 signature of message under this key. */
    public boolean verify(byte[] message, Signature signature) {
        return Ed25519.verify(bytes, message, signature.bytesUnsafe());
    }

    public void encode(CanonicalWriter out) {
        out.fixed(bytes);
    }

    public static PublicKey decode(CanonicalReader in) {
        return new PublicKey(in.fixed(LENGTH));
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    byte[] bytesUnsafe() {
        return bytes;
    }

    public String toHex() {
        return Hex.encode(bytes);
    }

    @Override
    public int compareTo(PublicKey o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
