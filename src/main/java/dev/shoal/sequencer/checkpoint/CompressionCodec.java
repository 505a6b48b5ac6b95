package dev.shoal.sequencer.checkpoint;

import io.airlift.compress.MalformedInputException;
import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Pure-Java block compressors for checkpoint bodies (no JNI, so the native image stays simple).
 * The id is what the checkpoint frame stores; the name is what the API and the table show.
 * Decompression is told the exact uncompressed size (it is in the frame) and fails cleanly on
 * anything else.
 */
public enum CompressionCodec {
    NONE(0, "none") {
        @Override public byte[] compress(byte[] raw) { return raw.clone(); }
        @Override public byte[] decompress(byte[] c, int size) {
            if (c.length != size) throw new CheckpointException("stored body is " + c.length + " bytes, frame says " + size);
            return c.clone();
        }
    },
    LZ4(1, "lz4") {
        @Override public byte[] compress(byte[] raw) {
            Lz4Compressor z = new Lz4Compressor();
            byte[] out = new byte[z.maxCompressedLength(raw.length)];
            return Arrays.copyOf(out, z.compress(raw, 0, raw.length, out, 0, out.length));
        }
        @Override public byte[] decompress(byte[] c, int size) {
            byte[] out = new byte[size];
            try {
                int n = new Lz4Decompressor().decompress(c, 0, c.length, out, 0, size);
                return checkSize(out, n, size);
            } catch (MalformedInputException | IndexOutOfBoundsException e) {
                throw new CheckpointException("body is not valid lz4: " + e.getMessage());
            }
        }
    },
    ZSTD(2, "zstd") {
        @Override public byte[] compress(byte[] raw) {
            ZstdCompressor z = new ZstdCompressor();
            byte[] out = new byte[z.maxCompressedLength(raw.length)];
            return Arrays.copyOf(out, z.compress(raw, 0, raw.length, out, 0, out.length));
        }
        @Override public byte[] decompress(byte[] c, int size) {
            byte[] out = new byte[size];
            try {
                int n = new ZstdDecompressor().decompress(c, 0, c.length, out, 0, size);
                return checkSize(out, n, size);
            } catch (MalformedInputException | IndexOutOfBoundsException | IllegalArgumentException e) {
                throw new CheckpointException("body is not valid zstd: " + e.getMessage());
            }
        }
    },
    DEFLATE(3, "deflate") {
        @Override public byte[] compress(byte[] raw) {
            Deflater d = new Deflater(Deflater.BEST_SPEED, true);
            try {
                d.setInput(raw);
                d.finish();
                ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, raw.length / 2));
                byte[] chunk = new byte[64 * 1024];
                while (!d.finished()) out.write(chunk, 0, d.deflate(chunk));
                return out.toByteArray();
            } finally {
                d.end();
            }
        }
        @Override public byte[] decompress(byte[] c, int size) {
            Inflater inf = new Inflater(true);
            try {
                inf.setInput(c);
                byte[] out = new byte[size];
                int n = 0;
                while (n < size && !inf.finished()) {
                    int k = inf.inflate(out, n, size - n);
                    if (k == 0 && (inf.needsInput() || inf.needsDictionary())) break;
                    n += k;
                }
                if (!inf.finished() && n == size) {
                    // A valid stream of exactly size bytes may need one more call to see its end.
                    byte[] probe = new byte[1];
                    if (inf.inflate(probe) != 0) throw new CheckpointException("body inflates beyond " + size + " bytes");
                }
                return checkSize(out, n, size);
            } catch (DataFormatException e) {
                throw new CheckpointException("body is not valid deflate: " + e.getMessage());
            } finally {
                inf.end();
            }
        }
    };

    private final int id;
    private final String label;

    CompressionCodec(int id, String label) {
        this.id = id;
        this.label = label;
    }

    public int id() { return id; }
    public String label() { return label; }

    public abstract byte[] compress(byte[] raw);

    /** Decompresses to exactly size bytes or throws {@link CheckpointException}. */
    public abstract byte[] decompress(byte[] compressed, int size);

    private static byte[] checkSize(byte[] out, int n, int size) {
        if (n != size) throw new CheckpointException("body decompressed to " + n + " bytes, frame says " + size);
        return out;
    }

    public static CompressionCodec byId(int id) {
        for (CompressionCodec c : values()) if (c.id == id) return c;
        throw new CheckpointException("unknown compression codec id " + id);
    }

    /** By name as written in configuration ("zstd", "lz4", "deflate", "none"), case-insensitive. */
    public static CompressionCodec byLabel(String label) {
        for (CompressionCodec c : values()) if (c.label.equalsIgnoreCase(label)) return c;
        throw new IllegalArgumentException("unknown compression codec '" + label + "' (use zstd, lz4, deflate or none)");
    }
}
