package dev.shoal.sequencer.sim;

import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.types.PublicKey;
import dev.shoal.sequencer.core.types.Signature;
import dev.shoal.sequencer.core.types.Vote;
import dev.shoal.sequencer.core.validator.Verifier;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A verifier shared by the simulated nodes of one seed. Ed25519 verification dominates the cost
 * of a simulation, and every node checks the same signatures: a header's author checks each
 * vote, then every other node checks the same signatures again inside the certificate. The
 * result of a check is a pure function of (public key, message, signature), so caching it by
 * exactly that key changes no behaviour, only cost. The certificate's other checks (epoch,
 * author, signers, quorum) run every time, in {@link Committee#checkCertificate}.
 */
final class CachingVerifier implements Verifier {
    private record Key(PublicKey key, ByteBuffer message, Signature signature) {}

    private final Map<Key, Boolean> results = new HashMap<>();
    private long hits;
    private long misses;

    @Override
    public boolean verifyVote(Vote vote, PublicKey voterKey) {
        return verify(voterKey, Header.voteMessage(vote.headerDigest()), vote.signature());
    }

    @Override
    public Optional<String> checkCertificate(Committee committee, Certificate certificate, Committee.SignatureCheck known) {
        return committee.checkCertificate(certificate, (k, m, s) -> known.verify(k, m, s) || verify(k, m, s));
    }

    private boolean verify(PublicKey key, byte[] message, Signature signature) {
        Key k = new Key(key, ByteBuffer.wrap(message), signature);
        Boolean r = results.get(k);
        if (r != null) {
            hits++;
            return r;
        }
        misses++;
        boolean ok = key.verify(message, signature);
        results.put(k, ok);
        return ok;
    }

    long hits() { return hits; }
    long misses() { return misses; }
}
