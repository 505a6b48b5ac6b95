package dev.shoal.sequencer.net;

/** Why the transport closed a connection it did not trust (the {@code reason} tag of the rejection metric). */
public enum ConnectionRejection {
    /** The handshake failed: bad magic or version, wrong epoch, unknown or wrong index, bad signature, timeout. */
    HANDSHAKE,
    /** A frame's MAC did not verify: tampered, replayed, reordered or from someone without the session key. */
    MAC,
    /** A length prefix above the frame limit, refused before reading the frame. */
    OVERSIZED,
    /** An authenticated frame that is not a valid message encoding. */
    MALFORMED;

    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
