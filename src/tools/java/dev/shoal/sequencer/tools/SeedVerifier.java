package dev.shoal.sequencer.tools;

import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.PublicKey;
import dev.shoal.sequencer.core.types.Vote;
import dev.shoal.sequencer.core.validator.Verifier;
import java.util.Optional;

/**
 * The signature checks of a seeding run. Every vote and certificate in a synthetic history is
 * signed in this process by its honest, in-process validators, so checking each signature again
 * would only re-check our own signing at 2-3x the cost of the run. The structural checks (epoch,
 * author, signers, quorum) run on every certificate; the Ed25519 signatures are verified for every
 * vote and certificate of every {@code every}-th round (every round with 1), so a signing fault
 * cannot go unnoticed.
 */
final class SeedVerifier implements Verifier {
    private final long every;
    private long verified;

    SeedVerifier(long every) {
        if (every < 1) throw new IllegalArgumentException("verify-every must be at least 1");
        this.every = every;
    }

    private boolean sampled(long round) {
        return round % every == 0;
    }

    @Override
    public boolean verifyVote(Vote vote, PublicKey voterKey) {
        if (!sampled(vote.round())) return true;
        verified++;
        return vote.verify(voterKey);
    }

    @Override
    public Optional<String> checkCertificate(Committee committee, Certificate certificate, Committee.SignatureCheck known) {
        if (!sampled(certificate.round())) return committee.checkCertificate(certificate, (k, m, s) -> true);
        verified++;
        return committee.checkCertificate(certificate, (k, m, s) -> known.verify(k, m, s) || k.verify(m, s));
    }

    long verified() {
        return verified;
    }
}
