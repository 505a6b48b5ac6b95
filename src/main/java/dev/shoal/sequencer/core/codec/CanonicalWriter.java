package dev.shoal.sequencer.core.codec;

import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Writes the canonical bincode-style layout: little-endian fixed-width integers, u64 length
 * prefixes, no field names, no padding. One value has exactly one encoding.
 */
public final class CanonicalWriter {
    private byte[] buf;
    private int pos;

    public CanonicalWriter() {
        this(128);
    }

    public CanonicalWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int extra) {
        if (pos + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + extra));
        }
    }

    public CanonicalWriter u8(int v) {
        if (v < 0 || v > 0xFF) throw new IllegalArgumentException("u8 out of range: " + v);
        ensure(1);
        buf[pos++] = (byte) v;
        return this;
    }

    public CanonicalWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    public CanonicalWriter u32(long v) {
        if (v < 0 || v > 0xFFFF_FFFFL) throw new IllegalArgumentException("u32 out of range: " + v);
        ensure(4);
        for (int i = 0; i < 4; i++) buf[pos++] = (byte) (v >>> (8 * i));
        return this;
    }

    /** Writes a u64; Java longs are treated as unsigned, callers keep values non-negative. */
    public CanonicalWriter u64(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) buf[pos++] = (byte) (v >>> (8 * i));
        return this;
    }

    /** Fixed-width bytes with no length prefix (digests, keys, signatures). */
    public CanonicalWriter fixed(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
        return this;
    }

    /** Variable-length bytes: u64 length prefix then the bytes. */
    public CanonicalWriter bytes(byte[] bytes) {
        u64(bytes.length);
        return fixed(bytes);
    }

    public CanonicalWriter string(String s) {
        return bytes(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A list: u64 element count, then each element. */
    public <T> CanonicalWriter list(List<T> items, BiConsumer<CanonicalWriter, T> element) {
        u64(items.size());
        for (T item : items) element.accept(this, item);
        return this;
    }

    public int size() {
        return pos;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }
}
