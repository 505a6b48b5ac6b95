package dev.shoal.sequencer.bench;

import dev.shoal.sequencer.core.types.Ed25519;
import dev.shoal.sequencer.core.types.JdkEd25519;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ed25519 sign and verify throughput of the two providers available without JNI:
 * BouncyCastle's low-level {@code org.bouncycastle.math.ec.rfc8032.Ed25519}, called through
 * {@link Ed25519} exactly as the validator does, and the JDK's built-in SunEC
 * ({@code java.security.Signature.getInstance("Ed25519")}). The message is a vote message
 * (tag + header digest, 42 bytes), the thing a validator signs and verifies most.
 *
 * <p>Run: {@code scripts/bench.sh Ed25519Benchmark -f 1 -wi 2 -i 3}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Ed25519Benchmark {
    private byte[] seed;
    private byte[] publicKey;
    private byte[] message;
    private byte[] signature;

    private PublicKey jdkPublicKey;
    private Signature jdkSigner;
    private Signature jdkVerifier;

    @Setup
    public void setUp() throws GeneralSecurityException {
        seed = new byte[Ed25519.SECRET_KEY_LENGTH];
        new Random(25519).nextBytes(seed);
        publicKey = Ed25519.publicKeyOf(seed);
        message = Header.voteMessage(Digest.sha256("benchmark header".getBytes()));
        signature = Ed25519.sign(seed, publicKey, message);

        PrivateKey jdkPrivateKey = JdkEd25519.privateKey(seed);
        jdkPublicKey = JdkEd25519.publicKey(publicKey);
        jdkSigner = Signature.getInstance("Ed25519");
        jdkSigner.initSign(jdkPrivateKey);
        jdkVerifier = Signature.getInstance("Ed25519");
        jdkVerifier.initVerify(jdkPublicKey);

        // Both sides must compute the same thing, or the comparison means nothing.
        jdkSigner.update(message);
        if (!Arrays.equals(jdkSigner.sign(), signature) || !jdkVerify() || !bouncyCastleVerify()) {
            throw new IllegalStateException("the JDK and BouncyCastle disagree on the benchmark signature");
        }
    }

    @Benchmark
    public byte[] bouncyCastleSign() {
        return Ed25519.sign(seed, publicKey, message);
    }

    @Benchmark
    public boolean bouncyCastleVerify() {
        return Ed25519.verify(publicKey, message, signature);
    }

    /** One Signature object, initialised once: the cheapest way to use the JDK provider. */
    @Benchmark
    public byte[] jdkSign() throws GeneralSecurityException {
        jdkSigner.update(message);
        return jdkSigner.sign();
    }

    @Benchmark
    public boolean jdkVerify() throws GeneralSecurityException {
        jdkVerifier.update(message);
        return jdkVerifier.verify(signature);
    }

    /**
     * Verification with initVerify for every message, as when a certificate's signatures come
     * from different validators (the decoded key objects are cached, the Signature is reused).
     */
    @Benchmark
    public boolean jdkVerifyInitEachTime() throws GeneralSecurityException {
        jdkVerifier.initVerify(jdkPublicKey);
        jdkVerifier.update(message);
        return jdkVerifier.verify(signature);
    }
}
