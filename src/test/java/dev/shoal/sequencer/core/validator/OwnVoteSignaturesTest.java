package dev.shoal.sequencer.core.validator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Signature;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OwnVoteSignaturesTest {
    private final KeyPair us = KeyPair.fromSecret(new byte[32]);
    private final KeyPair peer = KeyPair.fromSecret(seed(7));

    @Test
    void vouchesOnlyForOurExactSignatureOverTheSameMessage() {
        OwnVoteSignatures own = new OwnVoteSignatures(us.publicKey(), 8);
        byte[] message = bytes("vote for header A");
        Signature ours = us.sign(message);
        own.remember(message, ours);

        assertThat(own.verify(us.publicKey(), bytes("vote for header A"), ours)).isTrue();
        assertThat(own.verify(us.publicKey(), bytes("vote for header B"), ours)).as("another message").isFalse();
        assertThat(own.verify(peer.publicKey(), message, ours)).as("another key").isFalse();
        assertThat(own.verify(us.publicKey(), message, peer.sign(message))).as("another signature").isFalse();
    }

    @Test
    void forgetsTheOldestBeyondItsCapacity() {
        OwnVoteSignatures own = new OwnVoteSignatures(us.publicKey(), 2);
        for (int i = 0; i < 3; i++) own.remember(bytes("m" + i), us.sign(bytes("m" + i)));
        assertThat(own.verify(us.publicKey(), bytes("m0"), us.sign(bytes("m0")))).isFalse();
        assertThat(own.verify(us.publicKey(), bytes("m2"), us.sign(bytes("m2")))).isTrue();
    }

    @Test
    void theMessageIsCopiedWhenRemembered() {
        OwnVoteSignatures own = new OwnVoteSignatures(us.publicKey(), 8);
        byte[] message = bytes("vote");
        Signature s = us.sign(message);
        own.remember(message, s);
        message[0] ^= 1;
        assertThat(own.verify(us.publicKey(), bytes("vote"), s)).isTrue();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] seed(int b) {
        byte[] s = new byte[32];
        s[0] = (byte) b;
        return s;
    }
}
