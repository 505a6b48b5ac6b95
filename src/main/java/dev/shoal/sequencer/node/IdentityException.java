package dev.shoal.sequencer.node;

/**
 * Why this node cannot take up its validator identity (bad key, bad committee file, key not in
 * the committee). The message is one complete line for the operator; no stack trace is
 * recorded because it would only add noise to that message.
 */
public final class IdentityException extends RuntimeException {
    public IdentityException(String message) {
        super(message, null, false, false);
    }
}
