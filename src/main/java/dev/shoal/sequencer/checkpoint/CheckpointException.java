package dev.shoal.sequencer.checkpoint;

/** A checkpoint cannot be read: bad magic, unknown version or codec, checksum mismatch, truncation, bad body. */
public final class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }
}
