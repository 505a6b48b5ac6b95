package dev.shoal.sequencer.core.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Ed25519 against the RFC 8032 test vectors and against the JDK's independent implementation. */
class Ed25519Test {
    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest(name = "RFC 8032 7.1 test {index}")
    @CsvSource({
        // secret key, public key, message, signature
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60,"
                + "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a,"
                + "'',"
                + "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb,"
                + "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c,"
                + "72,"
                + "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
        "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7,"
                + "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025,"
                + "af82,"
                + "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
    })
    void rfc8032Vectors(String secretHex, String publicHex, String messageHex, String signatureHex) {
        byte[] secret = HEX.parseHex(secretHex);
        byte[] message = HEX.parseHex(messageHex);
        byte[] pk = Ed25519.publicKeyOf(secret);
        assertThat(HEX.formatHex(pk)).isEqualTo(publicHex);
        byte[] sig = Ed25519.sign(secret, pk, message);
        assertThat(HEX.formatHex(sig)).isEqualTo(signatureHex);
        assertThat(Ed25519.verify(pk, message, sig)).isTrue();
    }

    @Test
    void agreesWithTheJdkImplementation() throws Exception {
        long seed = 20261125L;
        Random random = new Random(seed);
        for (int i = 0; i < 50; i++) {
            byte[] secret = new byte[32];
            random.nextBytes(secret);
            byte[] message = new byte[random.nextInt(300)];
            random.nextBytes(message);
            byte[] pk = Ed25519.publicKeyOf(secret);
            byte[] ours = Ed25519.sign(secret, pk, message);
            byte[] jdk = JdkEd25519.sign(secret, message);
            String ctx = "seed " + seed + " case " + i;
            // Signatures are deterministic and hash the public key, so equal signatures also mean equal keys.
            assertThat(ours).as(ctx).isEqualTo(jdk);
            assertThat(JdkEd25519.verify(pk, message, ours)).as(ctx).isTrue();
            assertThat(Ed25519.verify(pk, message, jdk)).as(ctx).isTrue();
        }
    }

    @Test
    void rejectsTamperedMessagesSignaturesAndKeys() {
        byte[] secret = new byte[32];
        secret[0] = 42;
        byte[] pk = Ed25519.publicKeyOf(secret);
        byte[] message = "shoal".getBytes();
        byte[] sig = Ed25519.sign(secret, pk, message);
        assertThat(Ed25519.verify(pk, "shoaL".getBytes(), sig)).isFalse();
        for (int i = 0; i < 64; i += 7) {
            byte[] bad = sig.clone();
            bad[i] ^= 1;
            assertThat(Ed25519.verify(pk, message, bad)).as("flipped signature byte %d", i).isFalse();
        }
        byte[] otherKey = Ed25519.publicKeyOf(new byte[32]);
        assertThat(Ed25519.verify(otherKey, message, sig)).isFalse();
    }

    @Test
    void rejectsANonCanonicalScalar() {
        byte[] secret = new byte[32];
        secret[0] = 7;
        byte[] pk = Ed25519.publicKeyOf(secret);
        byte[] message = "m".getBytes();
        byte[] sig = Ed25519.sign(secret, pk, message);
        // S + L is the same scalar mod L but not the canonical encoding: RFC 8032 says reject.
        BigInteger l = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
        BigInteger s = new BigInteger(1, reverse(java.util.Arrays.copyOfRange(sig, 32, 64)));
        byte[] sPlusL = reverse(toFixed(s.add(l), 32));
        byte[] malleated = sig.clone();
        System.arraycopy(sPlusL, 0, malleated, 32, 32);
        assertThat(Ed25519.verify(pk, message, malleated)).isFalse();
    }

    @Test
    void malformedInputsAreFalseNotExceptions() {
        byte[] pk = Ed25519.publicKeyOf(new byte[32]);
        assertThat(Ed25519.verify(new byte[31], new byte[0], new byte[64])).isFalse();
        assertThat(Ed25519.verify(pk, new byte[0], new byte[63])).isFalse();
        assertThat(Ed25519.verify(pk, new byte[0], new byte[64])).isFalse();
        byte[] notAPoint = new byte[32];
        java.util.Arrays.fill(notAPoint, (byte) 0xFF);
        assertThat(Ed25519.verify(notAPoint, new byte[0], new byte[64])).isFalse();
    }

    @Test
    void secretKeysMustBe32Bytes() {
        assertThatThrownBy(() -> Ed25519.publicKeyOf(new byte[31]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Ed25519 secret key is 32 bytes, got 31");
        assertThatThrownBy(() -> Ed25519.sign(new byte[33], new byte[32], new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] reverse(byte[] b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) out[i] = b[b.length - 1 - i];
        return out;
    }

    private static byte[] toFixed(BigInteger v, int n) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[n];
        int copy = Math.min(raw.length, n);
        System.arraycopy(raw, raw.length - copy, out, n - copy, copy);
        return out;
    }
}
