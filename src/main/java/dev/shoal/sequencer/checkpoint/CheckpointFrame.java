package dev.shoal.sequencer.checkpoint;

import dev.shoal.sequencer.core.codec.CanonicalReader;
import dev.shoal.sequencer.core.codec.CanonicalWriter;
import dev.shoal.sequencer.core.codec.CodecException;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The envelope of a stored checkpoint, so a corrupt or truncated one is detected before anything
 * trusts it:
 * <pre>
 *   magic            8 bytes  "SHOALCKP"
 *   format version   u32      {@link #FORMAT_VERSION}
 *   codec id         u8       {@link CompressionCodec#id()}
 *   body length      u64      uncompressed body bytes
 *   payload length   u64      compressed body bytes that follow the checksum
 *   checksum         u32      CRC32C of every byte above plus the payload
 *   payload          the compressed canonical body
 * </pre>
 * Integers little-endian, as everywhere in the canonical codec.
 */
public final class CheckpointFrame {
    public static final byte[] MAGIC = "SHOALCKP".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** 2: the consensus state carries the exactly-once batch window (a version-1 body cannot be read as 2). */
    public static final int FORMAT_VERSION = 2;
    private static final int HEADER_LENGTH = 8 + 4 + 1 + 8 + 8;

    /** A decoded frame: the body and what the frame said about it. */
    public record Opened(int formatVersion, CompressionCodec codec, byte[] body, long checksum) {}

    private CheckpointFrame() {}

    /** Compresses and frames a canonical body. */
    public static byte[] seal(byte[] body, CompressionCodec codec) {
        byte[] payload = codec.compress(body);
        CanonicalWriter w = new CanonicalWriter(HEADER_LENGTH + 4 + payload.length);
        w.fixed(MAGIC).u32(FORMAT_VERSION).u8(codec.id()).u64(body.length).u64(payload.length);
        byte[] header = w.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(header);
        crc.update(payload);
        w.u32(crc.getValue()).fixed(payload);
        return w.toByteArray();
    }

    /** The checksum field of a sealed frame (what the checkpoint table shows). */
    public static byte[] checksumBytes(byte[] frame) {
        if (frame.length < HEADER_LENGTH + 4) throw new CheckpointException("checkpoint is truncated: " + frame.length + " bytes");
        return Arrays.copyOfRange(frame, HEADER_LENGTH, HEADER_LENGTH + 4);
    }

    /**
     * Verifies and opens a frame. Every failure is a {@link CheckpointException} that says what is
     * wrong; nothing is decompressed before the checksum matched.
     *
     * @param maxBodyLength refuse bodies larger than this (a corrupt length must not allocate gigabytes)
     */
    public static Opened open(byte[] frame, long maxBodyLength) {
        if (frame.length < HEADER_LENGTH + 4) throw new CheckpointException("checkpoint is truncated: " + frame.length + " bytes");
        CanonicalReader in = new CanonicalReader(frame);
        try {
            byte[] magic = in.fixed(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) throw new CheckpointException("not a checkpoint: bad magic");
            long version = in.u32();
            if (version != FORMAT_VERSION) {
                throw new CheckpointException("unsupported checkpoint format version " + version + " (this build reads " + FORMAT_VERSION + ")");
            }
            CompressionCodec codec = CompressionCodec.byId(in.u8());
            long bodyLength = in.u64();
            long payloadLength = in.u64();
            long checksum = in.u32();
            if (bodyLength < 0 || bodyLength > maxBodyLength) {
                throw new CheckpointException("checkpoint body length " + Long.toUnsignedString(bodyLength) + " exceeds the limit " + maxBodyLength);
            }
            if (payloadLength != in.remaining()) {
                throw new CheckpointException("checkpoint is truncated or padded: frame says " + Long.toUnsignedString(payloadLength)
                        + " payload bytes, " + in.remaining() + " present");
            }
            byte[] payload = in.fixed((int) payloadLength);
            CRC32C crc = new CRC32C();
            crc.update(frame, 0, HEADER_LENGTH);
            crc.update(payload);
            if (crc.getValue() != checksum) {
                throw new CheckpointException(String.format("checkpoint checksum mismatch: stored %08x, computed %08x", checksum, crc.getValue()));
            }
            return new Opened((int) version, codec, codec.decompress(payload, (int) bodyLength), checksum);
        } catch (CodecException e) {
            throw new CheckpointException("checkpoint frame is malformed: " + e.getMessage());
        }
    }
}
