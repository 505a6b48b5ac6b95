package dev.shoal.sequencer.core.codec;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads the canonical layout written by {@link CanonicalWriter}. Every length is checked
 * against the remaining input and the {@link CodecLimits} before anything is allocated.
 */
public final class CanonicalReader {
    private final byte[] buf;
    private final int end;
    private final CodecLimits limits;
    private int pos;

    public CanonicalReader(byte[] bytes) {
        this(bytes, CodecLimits.DEFAULT);
    }

    public CanonicalReader(byte[] bytes, CodecLimits limits) {
        this.buf = bytes;
        this.end = bytes.length;
        this.limits = limits;
    }

    public CodecLimits limits() {
        return limits;
    }

    public int remaining() {
        return end - pos;
    }

    private void need(long n, String what) {
        if (n > remaining()) {
            throw new CodecException("truncated input: " + what + " needs " + n + " bytes at offset "
                    + pos + ", " + remaining() + " left");
        }
    }

    public int u8() {
        need(1, "u8");
        return buf[pos++] & 0xFF;
    }

    public boolean bool() {
        int v = u8();
        if (v > 1) throw new CodecException("invalid bool " + v + " at offset " + (pos - 1));
        return v == 1;
    }

    public long u32() {
        need(4, "u32");
        long v = 0;
        for (int i = 0; i < 4; i++) v |= (buf[pos++] & 0xFFL) << (8 * i);
        return v;
    }

    /** A u32 that must fit a non-negative int (indexes, counts). */
    public int u32AsInt(String what) {
        long v = u32();
        if (v > Integer.MAX_VALUE) throw new CodecException(what + " out of range: " + v);
        return (int) v;
    }

    public long u64() {
        need(8, "u64");
        long v = 0;
        for (int i = 0; i < 8; i++) v |= (buf[pos++] & 0xFFL) << (8 * i);
        return v;
    }

    /** A u64 that must be a non-negative Java long (rounds, indexes, timestamps). */
    public long u64NonNegative(String what) {
        long v = u64();
        if (v < 0) throw new CodecException(what + " out of range (above 2^63-1)");
        return v;
    }

    public byte[] fixed(int n) {
        if (n > remaining()) need(n, "fixed " + n + " bytes"); // the message is built only on failure: this is per digest
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    public byte[] bytes() {
        long len = u64();
        if (len < 0 || len > limits.maxBytesLength()) {
            throw new CodecException("byte string length " + Long.toUnsignedString(len)
                    + " exceeds limit " + limits.maxBytesLength());
        }
        need(len, "byte string");
        return fixed((int) len);
    }

    public String string() {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes())).toString();
        } catch (CharacterCodingException e) {
            throw new CodecException("invalid UTF-8 string");
        }
    }

    /**
     * A list: u64 count then elements. The count is checked against the limit and against the
     * remaining input ({@code minElementSize} bytes each) before any allocation.
     */
    public <T> List<T> list(Function<CanonicalReader, T> element, int minElementSize) {
        long count = u64();
        if (count < 0 || count > limits.maxListLength()) {
            throw new CodecException("list length " + Long.toUnsignedString(count)
                    + " exceeds limit " + limits.maxListLength());
        }
        if (minElementSize > 0) {
            // Saturate instead of overflowing: with very large limits count * size could wrap.
            long needed = count <= Long.MAX_VALUE / minElementSize ? count * minElementSize : Long.MAX_VALUE;
            if (needed > remaining()) need(needed, "list of " + count + " elements");
        }
        List<T> out = new ArrayList<>((int) Math.min(count, 1024));
        for (long i = 0; i < count; i++) out.add(element.apply(this));
        return List.copyOf(out);
    }

    /** Fails unless every byte was consumed: one value, one encoding, nothing after it. */
    public void expectEnd() {
        if (pos != end) {
            throw new CodecException("trailing bytes: " + (end - pos) + " bytes after the value");
        }
    }
}
