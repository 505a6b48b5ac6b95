package dev.shoal.sequencer.core.types;

import dev.shoal.sequencer.core.codec.CanonicalReader;
import dev.shoal.sequencer.core.codec.CanonicalWriter;
import dev.shoal.sequencer.core.codec.CodecException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The set of committee indexes that signed a certificate, as a little-endian bitmap (bit i of
 * byte i/8 is validator i). Canonical form has no trailing zero byte.
 */
public final class SignerBitmap {
    public static final SignerBitmap EMPTY = new SignerBitmap(new byte[0]);

    private final byte[] bytes;

    private SignerBitmap(byte[] bytes) {
        this.bytes = bytes;
    }

    public static SignerBitmap of(java.util.Collection<Integer> signers) {
        BitSet set = new BitSet();
        for (int i : signers) {
            if (i < 0) throw new IllegalArgumentException("signer index must be non-negative");
            set.set(i);
        }
        return new SignerBitmap(set.toByteArray());
    }

    /** Signer indexes in ascending order. */
    public List<Integer> signers() {
        BitSet set = BitSet.valueOf(bytes);
        List<Integer> out = new ArrayList<>(set.cardinality());
        for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1)) out.add(i);
        return out;
    }

    public int count() {
        return BitSet.valueOf(bytes).cardinality();
    }

    public boolean contains(int index) {
        return index >= 0 && index / 8 < bytes.length && (bytes[index / 8] & (1 << (index % 8))) != 0;
    }

    /** Highest index that could be set plus one (bytes * 8). */
    public int capacity() {
        return bytes.length * 8;
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public void encode(CanonicalWriter out) {
        out.bytes(bytes);
    }

    public static SignerBitmap decode(CanonicalReader in) {
        return fromBytes(in.bytes());
    }

    /** The bitmap of raw bytes as returned by {@link #toBytes()} (no length prefix). */
    public static SignerBitmap fromBytes(byte[] raw) {
        if (raw.length > 0 && raw[raw.length - 1] == 0) {
            throw new CodecException("signer bitmap is not canonical: trailing zero byte");
        }
        return new SignerBitmap(raw.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignerBitmap s && Arrays.equals(bytes, s.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return signers().toString();
    }
}
