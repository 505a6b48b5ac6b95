package dev.shoal.sequencer.core.types;

import dev.shoal.sequencer.core.codec.CanonicalReader;
import dev.shoal.sequencer.core.codec.CanonicalWriter;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/** A 32-byte SHA-256 digest. Immutable; ordered by unsigned bytes so sorts are deterministic. */
public final class Digest implements Comparable<Digest> {
    public static final int LENGTH = 32;
    public static final Digest ZERO = new Digest(new byte[LENGTH]);

    private final byte[] bytes;
    private final int hash;

    private Digest(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    public static Digest of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a digest is " + LENGTH + " bytes, got " + bytes.length);
        }
        return new Digest(bytes.clone());
    }

    public static Digest fromHex(String hex) {
        return of(Hex.decode(hex));
    }

    /** SHA-256 of the given bytes. */
    public static Digest sha256(byte[] data) {
        return new Digest(sha256Engine().digest(data));
    }

    /** SHA-256 of a domain tag followed by data, so digests of different kinds never collide. */
    public static Digest sha256(String domain, byte[] data) {
        MessageDigest md = sha256Engine();
        md.update(domain.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        md.update((byte) 0);
        md.update(data);
        return new Digest(md.digest());
    }

    private static MessageDigest sha256Engine() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    public void encode(CanonicalWriter out) {
        out.fixed(bytes);
    }

    public static Digest decode(CanonicalReader in) {
        return new Digest(in.fixed(LENGTH));
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public String toHex() {
        return Hex.encode(bytes);
    }

    /** First 8 hex characters, for logs. */
    public String shortHex() {
        return toHex().substring(0, 8);
    }

    @Override
    public int compareTo(Digest o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Digest d && Arrays.equals(bytes, d.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return toHex();
    }
}
