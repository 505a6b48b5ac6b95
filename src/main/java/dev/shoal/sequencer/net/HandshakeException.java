package dev.shoal.sequencer.net;

/** The authenticated handshake failed; the message says why (logged, never sent to the peer). */
final class HandshakeException extends Exception {
    HandshakeException(String message) {
        super(message, null, false, false);
    }
}
