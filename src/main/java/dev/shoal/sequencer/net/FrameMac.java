package dev.shoal.sequencer.net;

import java.security.MessageDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * HMAC-SHA256 of the frames of one connection direction: {@code HMAC(key, u64le(sequence) || payload)}
 * with an implicit sequence that counts from 0. Sender and receiver each keep their own counter, so a
 * replayed, reordered, dropped-then-resent or altered frame fails to verify. Not thread-safe: one
 * connection uses it from its own event loop.
 */
final class FrameMac {
    static final int LENGTH = 32;

    private final HMac hmac = new HMac(new SHA256Digest());
    private final byte[] sequenceBytes = new byte[8];
    private long sequence;

    FrameMac(byte[] key) {
        if (key.length != 32) throw new IllegalArgumentException("frame key must be 32 bytes");
        hmac.init(new KeyParameter(key));
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
        byte[] out = new byte[LENGTH];
        hmac.doFinal(out, 0);
        return out;
    }
}
