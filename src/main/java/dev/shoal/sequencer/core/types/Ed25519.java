package dev.shoal.sequencer.core.types;

/**
 * Ed25519 (RFC 8032, pure) through BouncyCastle's low-level implementation: no JCA provider
 * registration, so it behaves the same on the JVM and in a native image.
 * Provider choice and the measurements behind it: see Ed25519Benchmark and docs/benchmarks.md.
 */
public final class Ed25519 {
    public static final int PUBLIC_KEY_LENGTH = 32;
    public static final int SECRET_KEY_LENGTH = 32;
    public static final int SIGNATURE_LENGTH = 64;

    static {
        org.bouncycastle.math.ec.rfc8032.Ed25519.precompute();
    }

    private Ed25519() {}

    public static byte[] publicKeyOf(byte[] secretKey) {
        checkLength(secretKey, SECRET_KEY_LENGTH, "secret key");
        byte[] pk = new byte[PUBLIC_KEY_LENGTH];
        org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(secretKey, 0, pk, 0);
        return pk;
    }

    public static byte[] sign(byte[] secretKey, byte[] publicKey, byte[] message) {
        checkLength(secretKey, SECRET_KEY_LENGTH, "secret key");
        byte[] sig = new byte[SIGNATURE_LENGTH];
        org.bouncycastle.math.ec.rfc8032.Ed25519.sign(secretKey, 0, publicKey, 0, message, 0, message.length, sig, 0);
        return sig;
    }

    /** False (never an exception) for a malformed key or signature. */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey.length != PUBLIC_KEY_LENGTH || signature.length != SIGNATURE_LENGTH) return false;
        try {
            return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void checkLength(byte[] b, int len, String what) {
        if (b.length != len) throw new IllegalArgumentException("Ed25519 " + what + " is " + len + " bytes, got " + b.length);
    }
}
