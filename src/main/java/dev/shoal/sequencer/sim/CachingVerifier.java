package dev.shoal.sequencer.sim;

import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.PublicKey;
import dev.shoal.sequencer.core.types.Vote;
import dev.shoal.sequencer.core.validator.Verifier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A verifier shared by the simulated nodes of one seed. Signature checks dominate the cost of a
 * simulation and every node checks the same certificates; the results are a pure function of
 * the inputs, so caching them changes no behaviour.
 * Keys hold every input of the check: (voter key, vote) for votes; for certificates the whole
 * certificate (header digest, signer bitmap and signatures) and the committee instance.
 */
final class CachingVerifier implements Verifier {
    private record VoteKey(PublicKey key, Vote vote) {}

    private record CertificateKey(Committee committee, Certificate certificate, List<?> signatures) {}

    private final Map<VoteKey, Boolean> votes = new HashMap<>();
    private final Map<CertificateKey, Optional<String>> certificates = new HashMap<>();
    private long misses;
    private long hits;

    @Override
    public boolean verifyVote(Vote vote, PublicKey voterKey) {
        VoteKey k = new VoteKey(voterKey, vote);
        Boolean r = votes.get(k);
        if (r != null) {
            hits++;
            return r;
        }
        misses++;
        boolean ok = vote.verify(voterKey);
        votes.put(k, ok);
        return ok;
    }

    @Override
    public Optional<String> checkCertificate(Committee committee, Certificate certificate) {
        // Certificate.equals compares digest, signers and signatures; the header is fixed by the digest.
        CertificateKey k = new CertificateKey(committee, certificate, certificate.signatures());
        Optional<String> r = certificates.get(k);
        if (r != null) {
            hits++;
            return r;
        }
        misses++;
        Optional<String> result = committee.checkCertificate(certificate);
        certificates.put(k, result);
        return result;
    }

    long hits() { return hits; }
    long misses() { return misses; }
}
