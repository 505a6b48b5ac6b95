package dev.shoal.sequencer.core.validator;

import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.PublicKey;
import dev.shoal.sequencer.core.types.Signature;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The vote signatures this validator made, remembered for the rounds still in play. A peer's
 * certificate usually carries our own vote among its signatures; Ed25519 signing is deterministic,
 * so a signature byte-equal to the one we made over the same message under our key is valid
 * without verifying it again. Verification dominates the consensus loop's CPU (about half of it,
 * measured with JFR under load), and this saves one of the (usually three) checks per certificate.
 * Anything else, including a different signature attributed to us, is verified as before.
 */
final class OwnVoteSignatures implements Committee.SignatureCheck {
    private final PublicKey ourKey;
    private final Map<ByteBuffer, Signature> byMessage;

    /** @param capacity how many recent votes to remember (older ones are simply verified again) */
    OwnVoteSignatures(PublicKey ourKey, int capacity) {
        this.ourKey = ourKey;
        this.byMessage = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Signature> eldest) {
                return size() > capacity;
            }
        };
    }

    void remember(byte[] voteMessage, Signature signature) {
        byMessage.put(ByteBuffer.wrap(voteMessage.clone()), signature);
    }

    /** True only for a signature we made ourselves over exactly this message; false means "verify it". */
    @Override
    public boolean verify(PublicKey key, byte[] message, Signature signature) {
        return key.equals(ourKey) && signature.equals(byMessage.get(ByteBuffer.wrap(message)));
    }
}
