package dev.shoal.sequencer.storage;

import dev.shoal.sequencer.core.codec.CanonicalReader;
import dev.shoal.sequencer.core.codec.CanonicalWriter;
import dev.shoal.sequencer.core.codec.Codec;
import dev.shoal.sequencer.core.codec.CodecException;
import dev.shoal.sequencer.core.codec.CodecLimits;
import dev.shoal.sequencer.core.types.Batch;
import io.airlift.compress.MalformedInputException;
import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.lz4.Lz4Decompressor;

/**
 * How a batch body is stored: its canonical bytes, LZ4-compressed when that saves space
 * ("lz4": u32 uncompressed length then the LZ4 block), else as they are ("none"). LZ4 is pure
 * Java here (no JNI) and fast enough for the hot write path; random payloads stay "none".
 */
public final class BatchPayloads {
    public static final String LZ4 = "lz4";
    public static final String NONE = "none";

    /** Stored form of a batch. */
    public record Encoded(String codec, byte[] bytes) {}

    private BatchPayloads() {}

    /** Bytes compressed on trial first: a batch whose sample does not shrink is stored as it is. */
    private static final int PROBE_BYTES = 8 * 1024;

    public static Encoded encode(Batch batch) {
        byte[] raw = batch.toBytes();
        Lz4Compressor lz4 = new Lz4Compressor();
        if (raw.length > 2 * PROBE_BYTES && !shrinks(lz4, raw)) return new Encoded(NONE, raw);
        byte[] out = new byte[4 + lz4.maxCompressedLength(raw.length)];
        int n = lz4.compress(raw, 0, raw.length, out, 4, out.length - 4);
        if (n + 4 >= raw.length) return new Encoded(NONE, raw);
        byte[] framed = new CanonicalWriter(4).u32(raw.length).toByteArray();
        System.arraycopy(framed, 0, out, 0, 4);
        return new Encoded(LZ4, java.util.Arrays.copyOf(out, n + 4));
    }

    /**
     * Compresses a sample from the middle of the batch (past the length prefixes): random or
     * encrypted payloads do not compress, and compressing a whole large batch only to throw the
     * result away cost the hot write path more than the rest of the row building.
     */
    private static boolean shrinks(Lz4Compressor lz4, byte[] raw) {
        int from = raw.length / 2 - PROBE_BYTES / 2;
        byte[] out = new byte[lz4.maxCompressedLength(PROBE_BYTES)];
        int n = lz4.compress(raw, from, PROBE_BYTES, out, 0, out.length);
        return n < PROBE_BYTES * 9 / 10;
    }

    public static Batch decode(String codec, byte[] bytes, CodecLimits limits) {
        byte[] raw = switch (codec) {
            case NONE -> bytes;
            case LZ4 -> {
                long len = new CanonicalReader(java.util.Arrays.copyOf(bytes, Math.min(4, bytes.length))).u32();
                if (len > limits.maxBytesLength() * 4) throw new CodecException("stored batch too large: " + len);
                byte[] raw0 = new byte[(int) len];
                try {
                    int n = new Lz4Decompressor().decompress(bytes, 4, bytes.length - 4, raw0, 0, raw0.length);
                    if (n != len) throw new CodecException("stored batch decompressed to " + n + " bytes, expected " + len);
                } catch (MalformedInputException e) {
                    throw new CodecException("stored batch is not valid LZ4: " + e.getMessage());
                }
                yield raw0;
            }
            default -> throw new CodecException("unknown batch codec '" + codec + "'");
        };
        return Codec.decode(raw, limits, Batch::decode);
    }
}
