package dev.shoal.sequencer.runtime;

/** The node cannot serve this yet: recovery is running, or storage is not writable. Maps to 503. */
public final class NotReadyException extends RuntimeException {
    public NotReadyException(String message) {
        super(message);
    }
}
