package dev.shoal.sequencer.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyPairTest {

    @Test
    void fromSecretCopiesItsInputAndSecretBytesReturnsACopy() {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 1);
        KeyPair key = KeyPair.fromSecret(seed);
        seed[0] = 99;
        assertThat(key.secretBytes()[0]).isEqualTo((byte) 1);
        key.secretBytes()[1] = 99;
        assertThat(key.secretBytes()[1]).isEqualTo((byte) 1);
        assertThat(key.publicKey()).isEqualTo(KeyPair.fromSecret(key.secretBytes()).publicKey());
    }

    @Test
    void toStringShowsThePublicKeyButNeverTheSecret() {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 0x5A);
        KeyPair key = KeyPair.fromSecret(seed);
        assertThat(key.toString()).contains(key.publicKey().toHex()).doesNotContain(HexFormat.of().formatHex(seed));
    }

    @Test
    void signaturesVerifyUnderTheKeysPublicKey() {
        KeyPair key = KeyPair.deterministic(new Random(7));
        byte[] message = "header digest".getBytes();
        assertThat(key.publicKey().verify(message, key.sign(message))).isTrue();
        assertThat(KeyPair.generate().publicKey().verify(message, key.sign(message))).isFalse();
    }

    @Test
    void deterministicKeysRepeatForTheSameSeed() {
        assertThat(KeyPair.deterministic(new Random(11)).publicKey()).isEqualTo(KeyPair.deterministic(new Random(11)).publicKey());
        assertThat(KeyPair.deterministic(new Random(11)).publicKey()).isNotEqualTo(KeyPair.deterministic(new Random(12)).publicKey());
    }

    @Test
    void aSecretIs32Bytes() {
        assertThatThrownBy(() -> KeyPair.fromSecret(new byte[16]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an Ed25519 secret key is 32 bytes, got 16");
    }
}
