package dev.shoal.sequencer.core.codec;

/** Thrown when bytes are not a valid canonical encoding: truncated, over a limit, or with trailing bytes. */
public final class CodecException extends RuntimeException {
    public CodecException(String message) {
        super(message);
    }
}
