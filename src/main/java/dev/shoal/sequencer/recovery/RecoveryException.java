package dev.shoal.sequencer.recovery;

/** The stored state cannot be recovered (inconsistent commit log, undecodable rows): the node must not start. */
public final class RecoveryException extends RuntimeException {
    public RecoveryException(String message, Throwable cause) {
        super(message, cause);
    }

    public RecoveryException(String message) {
        super(message);
    }
}
