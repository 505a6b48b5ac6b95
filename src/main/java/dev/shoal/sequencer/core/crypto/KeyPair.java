package dev.shoal.sequencer.core.crypto;

import dev.shoal.sequencer.core.types.Ed25519;
import dev.shoal.sequencer.core.types.PublicKey;
import dev.shoal.sequencer.core.types.Signature;
import java.security.SecureRandom;
import java.util.Random;

/** A validator's Ed25519 key pair. The secret never appears in toString. */
public final class KeyPair {
    private final byte[] secret;
    private final byte[] publicBytes;
    private final PublicKey publicKey;

    private KeyPair(byte[] secret) {
        this.secret = secret;
        this.publicBytes = Ed25519.publicKeyOf(secret);
        this.publicKey = PublicKey.of(publicBytes);
    }

    /** A fresh key from the system's secure random source. */
    public static KeyPair generate() {
        byte[] seed = new byte[Ed25519.SECRET_KEY_LENGTH];
        new SecureRandom().nextBytes(seed);
        return new KeyPair(seed);
    }

    /** A deterministic key from a seeded generator: tests, the simulator and synthetic histories only. */
    public static KeyPair deterministic(Random random) {
        byte[] seed = new byte[Ed25519.SECRET_KEY_LENGTH];
        random.nextBytes(seed);
        return new KeyPair(seed);
    }

    /** The key pair of a 32-byte RFC 8032 secret seed. */
    public static KeyPair fromSecret(byte[] secret) {
        if (secret.length != Ed25519.SECRET_KEY_LENGTH) {
            throw new IllegalArgumentException("an Ed25519 secret key is 32 bytes, got " + secret.length);
        }
        return new KeyPair(secret.clone());
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public Signature sign(byte[] message) {
        return Signature.of(Ed25519.sign(secret, publicBytes, message));
    }

    /** The 32-byte secret seed, for writing a key file. */
    public byte[] secretBytes() {
        return secret.clone();
    }

    @Override
    public String toString() {
        return "KeyPair[" + publicKey.toHex() + "]";
    }
}
