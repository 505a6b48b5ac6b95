package dev.shoal.sequencer.net;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 of the frames of one connection direction: {@code HMAC(key, u64le(sequence) || payload)}
 * with an implicit sequence that counts from 0. Sender and receiver each keep their own counter, so a
 * replayed, reordered, dropped-then-resent or altered frame fails to verify. Not thread-safe: one
 * connection uses it from its own event loop.
 */
final class FrameMac {
    static final int LENGTH = 32;

    /** The JDK's HmacSHA256: its SHA-256 is a HotSpot intrinsic, several times faster than a pure-Java digest on bulk frames. */
    private final Mac hmac;
    private final byte[] sequenceBytes = new byte[8];
    private long sequence;

    FrameMac(byte[] key) {
        if (key.length != 32) throw new IllegalArgumentException("frame key must be 32 bytes");
        try {
            hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** The MAC of the next frame to send; advances the sequence. */
    byte[] seal(byte[] payload) {
        return compute(payload);
    }

    /** True when {@code mac} is the MAC of the next expected frame; advances the sequence either way. */
    boolean verify(byte[] payload, byte[] mac) {
        return MessageDigest.isEqual(compute(payload), mac);
    }

    long sequence() {
        return sequence;
    }

    private byte[] compute(byte[] payload) {
        long s = sequence++;
        for (int i = 0; i < 8; i++) sequenceBytes[i] = (byte) (s >>> (8 * i));
        hmac.update(sequenceBytes, 0, 8);
        hmac.update(payload, 0, payload.length);
        return hmac.doFinal(); // also resets the MAC for the next frame
    }
}
