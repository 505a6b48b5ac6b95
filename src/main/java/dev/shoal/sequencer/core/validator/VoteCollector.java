package dev.shoal.sequencer.core.validator;

import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.types.Signature;
import dev.shoal.sequencer.core.types.SignerBitmap;
import dev.shoal.sequencer.core.types.Vote;
import dev.shoal.sequencer.core.validator.Message.CertificateMessage;
import java.util.List;
import java.util.TreeMap;

/** Votes for our current header (signature checked, duplicates ignored) make its certificate at 2f+1 stake. */
final class VoteCollector {
    private final Committee committee;
    private final int self;
    private final KeyPair key;
    private final Verifier verifier;
    private final ValidatorStats stats;
    private final OwnHeaders ownHeaders;
    private final CertificateIntake intake;
    /** Votes for our current header, by voter. */
    private final TreeMap<Integer, Signature> votesForCurrent = new TreeMap<>();

    VoteCollector(Committee committee, int self, KeyPair key, Verifier verifier, ValidatorStats stats,
                  OwnHeaders ownHeaders, CertificateIntake intake) {
        this.committee = committee;
        this.self = self;
        this.key = key;
        this.verifier = verifier;
        this.stats = stats;
        this.ownHeaders = ownHeaders;
        this.intake = intake;
    }

    /** A new current header (proposed, or re-sent after a restart): our own vote first. */
    void startCollectingVotes(Header h) {
        votesForCurrent.clear();
        votesForCurrent.put(self, key.sign(h.voteMessage()));
    }

    void onVote(Vote v, OutputBuilder out) {
        if (!committee.isMember(v.voter()) || !committee.isMember(v.headerAuthor())) {
            stats.reject(RejectReason.UNKNOWN_VALIDATOR);
            return;
        }
        if (v.epoch() != committee.epoch()) {
            stats.reject(RejectReason.WRONG_EPOCH);
            return;
        }
        long r = ownHeaders.round();
        Header h = ownHeaders.get(r);
        if (h == null || v.headerAuthor() != self || v.round() != r || !v.headerDigest().equals(h.digest())) {
            stats.reject(RejectReason.VOTE_NOT_FOR_OUR_HEADER);
            return;
        }
        if (votesForCurrent.containsKey(v.voter())) {
            stats.duplicate();
            return;
        }
        if (ownHeaders.certified(h)) {
            stats.duplicate();
            return;
        }
        if (!verifier.verifyVote(v, committee.validator(v.voter()).publicKey())) {
            stats.reject(RejectReason.INVALID_SIGNATURE);
            return;
        }
        votesForCurrent.put(v.voter(), v.signature());
        maybeCertify(out);
    }

    /** At a quorum of votes: our certificate goes into our DAG first, then to everyone. */
    void maybeCertify(OutputBuilder out) {
        Header h = ownHeaders.get(ownHeaders.round());
        if (h == null || ownHeaders.certified(h)) return;
        if (committee.stakeOf(votesForCurrent.keySet()) < committee.quorumThreshold()) return;
        // TreeMap iteration is ascending by voter: the order the certificate's signatures must have.
        Certificate c = new Certificate(h, SignerBitmap.of(votesForCurrent.keySet()),
                List.copyOf(votesForCurrent.values()));
        stats.certificateFormed();
        intake.acceptCertificate(c, self, out);
        out.send(Destination.BROADCAST, new CertificateMessage(c));
    }
}
