package dev.shoal.sequencer.core.validator;

import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.dag.Dag;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.types.Signature;
import dev.shoal.sequencer.core.types.Vote;
import dev.shoal.sequencer.core.validator.Message.CertificateRequest;
import dev.shoal.sequencer.core.validator.Message.VoteMessage;
import dev.shoal.sequencer.core.validator.PersistRecord.VoteRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Votes on peers' headers: at most one vote per (author, round), ever (safety rule 2). A header is
 * checked (known author who is also the sender, epoch, round, bounded size, parents all of round-1
 * with 2f+1 stake); a header whose parents are missing waits while they are fetched from its
 * sender. A second, different header of one author and round is rejected as equivocation. A header
 * we already voted for gets the same vote again (so a peer that lost our vote can still certify).
 */
final class HeaderVoter {
    private record AuthorRound(int author, long round) {}

    private record PendingHeader(Header header, int from) {}

    private final Committee committee;
    private final int self;
    private final KeyPair key;
    private final ValidatorConfig config;
    private final Dag dag;
    private final ValidatorStats stats;
    private final OwnVoteSignatures ownVotes;
    private final Abstention abstention;
    private final UnorderedWork work;

    /** Safety rule 2: what we voted for (persisted). */
    private final Map<AuthorRound, Digest> voted = new HashMap<>();
    /** First header seen per (author, round), voted or not: detects equivocation before voting. */
    private final Map<AuthorRound, Digest> seenHeaders = new HashMap<>();
    /** Headers whose parents we are fetching, in arrival order. */
    private final LinkedHashMap<AuthorRound, PendingHeader> pendingHeaders = new LinkedHashMap<>();

    HeaderVoter(Committee committee, int self, KeyPair key, ValidatorConfig config, Dag dag, ValidatorStats stats,
                OwnVoteSignatures ownVotes, Abstention abstention, UnorderedWork work) {
        this.committee = committee;
        this.self = self;
        this.key = key;
        this.config = config;
        this.dag = dag;
        this.stats = stats;
        this.ownVotes = ownVotes;
        this.abstention = abstention;
        this.work = work;
    }

    void onHeader(Header h, int from, OutputBuilder out) {
        if (!committee.isMember(h.author()) || !committee.isMember(from)) {
            stats.reject(RejectReason.UNKNOWN_VALIDATOR);
            return;
        }
        if (from != h.author()) {
            stats.reject(RejectReason.SENDER_NOT_AUTHOR);
            return;
        }
        if (h.author() == self) return; // our own header echoed back
        if (h.epoch() != committee.epoch()) {
            stats.reject(RejectReason.WRONG_EPOCH);
            return;
        }
        if (h.round() == 0) {
            stats.reject(RejectReason.MALFORMED);
            return;
        }
        if (h.batchDigests().size() > config.maxBatchesPerHeader() || h.parents().size() > committee.size()) {
            stats.reject(RejectReason.OVERSIZED);
            return;
        }
        if (h.round() - 1 < dag.gcRound()) {
            stats.reject(RejectReason.STALE);
            return;
        }
        if (h.round() > dag.highestRound() + dag.gcDepth()) {
            stats.reject(RejectReason.TOO_FAR_AHEAD);
            return;
        }
        AuthorRound ar = new AuthorRound(h.author(), h.round());
        Digest seen = seenHeaders.get(ar);
        if (seen != null && !seen.equals(h.digest())) {
            stats.reject(RejectReason.EQUIVOCATION);
            return;
        }
        Digest votedFor = voted.get(ar);
        if (votedFor != null) {
            // Same header again: the author may have lost our vote. Send the identical vote
            // (Ed25519 signatures are deterministic); nothing new to persist.
            stats.duplicate();
            out.send(Destination.to(h.author()), new VoteMessage(signVote(h)));
            return;
        }
        // Safety rule 8: a certificate for this slot (in the DAG or waiting for parents) means a quorum
        // already voted, perhaps we too before our records were lost. The same header needs no vote;
        // any other would be an equivocating vote.
        Digest certified = dag.certificateAt(h.author(), h.round());
        if (certified != null) {
            if (certified.equals(Certificate.digestOf(h.digest()))) stats.duplicate();
            else stats.reject(RejectReason.EQUIVOCATION);
            return;
        }
        seenHeaders.put(ar, h.digest());
        List<Digest> missing = missingParents(h);
        if (!missing.isEmpty()) {
            if (!pendingHeaders.containsKey(ar) && pendingHeaders.size() >= config.maxPendingHeaders()) {
                stats.reject(RejectReason.PENDING_FULL);
                seenHeaders.remove(ar);
                return;
            }
            pendingHeaders.put(ar, new PendingHeader(h, from));
            out.send(Destination.to(from), new CertificateRequest(missing));
            return;
        }
        checkParentsAndVote(h, out);
    }

    private List<Digest> missingParents(Header h) {
        List<Digest> missing = new ArrayList<>();
        for (Digest p : h.parents()) {
            if (!dag.contains(p)) missing.add(p);
        }
        return missing;
    }

    /** All parents are in the DAG: check they are a round-1 quorum, then vote. */
    private void checkParentsAndVote(Header h, OutputBuilder out) {
        if (abstention.abstainsIn(h.round())) {
            stats.abstained();
            return;
        }
        if (dag.certificateAt(h.author(), h.round()) != null) return; // certified while it waited (rule 8)
        List<Integer> authors = new ArrayList<>();
        for (Digest p : h.parents()) {
            Certificate parent = dag.get(p).orElseThrow();
            if (parent.round() != h.round() - 1) {
                stats.reject(RejectReason.PARENT_WRONG_ROUND);
                return;
            }
            authors.add(parent.author());
        }
        if (committee.stakeOf(authors) < committee.quorumThreshold()) {
            stats.reject(RejectReason.PARENTS_NO_QUORUM);
            return;
        }
        AuthorRound ar = new AuthorRound(h.author(), h.round());
        voted.put(ar, h.digest());
        out.persist(new VoteRecord(h.author(), h.round(), h.digest()));
        out.send(Destination.to(h.author()), new VoteMessage(signVote(h)));
        stats.voteSent();
        work.header(h);
    }

    private Vote signVote(Header h) {
        byte[] message = h.voteMessage();
        Signature signature = key.sign(message);
        ownVotes.remember(message, signature);
        return new Vote(h.digest(), h.epoch(), h.round(), h.author(), self, signature);
    }

    /** After certificates entered the DAG (or the safe round was learned): vote for waiting headers whose parents are now all present. */
    void retryPendingHeaders(OutputBuilder out) {
        if (pendingHeaders.isEmpty()) return;
        List<PendingHeader> ready = new ArrayList<>();
        Iterator<Map.Entry<AuthorRound, PendingHeader>> it = pendingHeaders.entrySet().iterator();
        while (it.hasNext()) {
            PendingHeader p = it.next().getValue();
            if (p.header().round() - 1 < dag.gcRound()) {
                it.remove();
            } else if (missingParents(p.header()).isEmpty()) {
                ready.add(p);
                it.remove();
            }
        }
        for (PendingHeader p : ready) checkParentsAndVote(p.header(), out);
    }

    /** Asks each waiting header's sender again for the parents still missing (the request or its answer may be lost). */
    void requestMissingParents(OutputBuilder out) {
        for (PendingHeader p : pendingHeaders.values()) {
            List<Digest> missing = missingParents(p.header());
            if (!missing.isEmpty()) out.send(Destination.to(p.from()), new CertificateRequest(missing));
        }
    }

    /** Our own header of its round (proposed, or read back by restore). */
    void ownHeader(Header h) {
        seenHeaders.put(new AuthorRound(self, h.round()), h.digest());
    }

    /** A vote record read back by restore: a different vote for a slot already held means a corrupt store. */
    void restoreVote(VoteRecord v) {
        AuthorRound ar = new AuthorRound(v.author(), v.round());
        Digest previous = voted.put(ar, v.headerDigest());
        if (previous != null && !previous.equals(v.headerDigest())) {
            throw new IllegalStateException("two different votes persisted for " + ar);
        }
        seenHeaders.put(ar, v.headerDigest());
    }

    /** Forgets slots below the GC round: headers there are refused as stale anyway. */
    void pruneBelow(long gc) {
        voted.keySet().removeIf(ar -> ar.round() < gc);
        seenHeaders.keySet().removeIf(ar -> ar.round() < gc);
    }
}
