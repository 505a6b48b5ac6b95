package dev.shoal.sequencer.checkpoint;

import dev.shoal.sequencer.core.codec.Codec;
import dev.shoal.sequencer.core.codec.CodecException;
import dev.shoal.sequencer.core.codec.CodecLimits;
import dev.shoal.sequencer.storage.CheckpointRecord;
import java.time.Instant;

/** Turns a {@link CheckpointBody} into a stored {@link CheckpointRecord} and back, verifying the frame. */
public final class CheckpointCodec {
    /** Windows hold gcDepth rounds of n certificates: generous list limit, usual byte-string limit. */
    public static final CodecLimits LIMITS = new CodecLimits(CodecLimits.DEFAULT.maxBytesLength(), 50_000_000);

    private CheckpointCodec() {}

    public static CheckpointRecord seal(CheckpointBody body, long gcDepth, CompressionCodec codec, Instant now) {
        byte[] raw = body.toBytes();
        byte[] frame = CheckpointFrame.seal(raw, codec);
        return new CheckpointRecord(body.round(), CheckpointFrame.FORMAT_VERSION, codec.label(), frame,
                CheckpointFrame.checksumBytes(frame), raw.length, body.window().size(), body.state().lastCommitIndex(),
                body.gcRound(gcDepth), now);
    }

    /** Verifies and decodes a stored checkpoint; every failure is a {@link CheckpointException} saying why. */
    public static CheckpointBody open(CheckpointRecord record, long maxBodyBytes) {
        CheckpointFrame.Opened opened = CheckpointFrame.open(record.payload(), maxBodyBytes);
        try {
            CheckpointBody body = Codec.decode(opened.body(), LIMITS, CheckpointBody::decode);
            if (body.round() != record.round()) {
                throw new CheckpointException("checkpoint row says round " + record.round() + ", body says " + body.round());
            }
            return body;
        } catch (CodecException e) {
            throw new CheckpointException("checkpoint body does not decode: " + e.getMessage());
        }
    }
}
