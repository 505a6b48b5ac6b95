package dev.shoal.sequencer.core.validator;

import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.PublicKey;
import dev.shoal.sequencer.core.types.Vote;
import java.util.Optional;

/**
 * The signature checks the state machine needs. {@link #DIRECT} checks every time; a simulator
 * may share a cache between its nodes (the results are deterministic, so caching changes no
 * behaviour, only cost).
 */
public interface Verifier {
    /** True when the vote's signature verifies under the voter's key. */
    boolean verifyVote(Vote vote, PublicKey voterKey);

    /**
     * {@link Committee#checkCertificate}: empty when valid, else the reason. Signatures {@code known}
     * vouches for (the caller made them itself) are not verified again; every other one is.
     */
    Optional<String> checkCertificate(Committee committee, Certificate certificate, Committee.SignatureCheck known);

    Verifier DIRECT = new Verifier() {
        @Override
        public boolean verifyVote(Vote vote, PublicKey voterKey) {
            return vote.verify(voterKey);
        }

        @Override
        public Optional<String> checkCertificate(Committee committee, Certificate certificate, Committee.SignatureCheck known) {
            return committee.checkCertificate(certificate, (k, m, s) -> known.verify(k, m, s) || k.verify(m, s));
        }
    };
}
