package dev.shoal.sequencer.core.validator;

import dev.shoal.sequencer.core.consensus.CommittedSubDag;
import dev.shoal.sequencer.core.consensus.Consensus;
import dev.shoal.sequencer.core.dag.Dag;
import dev.shoal.sequencer.core.dag.InsertOutcome;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.validator.Message.CertificateRequest;
import dev.shoal.sequencer.core.validator.PersistRecord.CertificateRecord;
import dev.shoal.sequencer.core.validator.PersistRecord.CommittedSubDagRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Certificates into the DAG and the consensus: the committee check, then the DAG (which holds back
 * certificates with missing parents, which we request from the sender), then the consensus for each
 * certificate that entered, in the order it entered. Also emits the commits, gives the batches of
 * our orphaned certificates back, and drops bookkeeping below the GC round.
 */
final class CertificateIntake {
    /** Told about our own certificates while a restore replays them (live, orphans are requeued at once). */
    interface ReplayObserver {
        void ownCertificateEntered(Certificate c);

        void orphaned(long round, List<Digest> batches);
    }

    private final Committee committee;
    private final int self;
    private final Verifier verifier;
    private final Dag dag;
    private final Consensus consensus;
    private final ValidatorStats stats;
    private final OwnVoteSignatures ownVotes;
    private final SyncArchive syncArchive;
    private final OwnHeaders ownHeaders;
    private final HeaderVoter voter;
    private final PendingBatches pendingBatches;
    private final Abstention abstention;
    private final UnorderedWork work;
    /** Work that waits for certificates: pending headers, our own certificate, our next proposal. */
    private final Consumer<OutputBuilder> afterInsert;

    /** Our certificates not yet committed, by round: those the commit rule skips for good give their batches back. */
    private final TreeMap<Long, Certificate> ownAwaitingCommit = new TreeMap<>();
    private ReplayObserver replay;
    private long lastCommitIndex;
    /** Bookkeeping below this round has been dropped. */
    private long prunedBelow;

    CertificateIntake(Committee committee, int self, Verifier verifier, Dag dag, Consensus consensus, ValidatorStats stats,
                      OwnVoteSignatures ownVotes, SyncArchive syncArchive, OwnHeaders ownHeaders, HeaderVoter voter,
                      PendingBatches pendingBatches, Abstention abstention, UnorderedWork work,
                      Consumer<OutputBuilder> afterInsert) {
        this.committee = committee;
        this.self = self;
        this.verifier = verifier;
        this.dag = dag;
        this.consensus = consensus;
        this.stats = stats;
        this.ownVotes = ownVotes;
        this.syncArchive = syncArchive;
        this.ownHeaders = ownHeaders;
        this.voter = voter;
        this.pendingBatches = pendingBatches;
        this.abstention = abstention;
        this.work = work;
        this.afterInsert = afterInsert;
    }

    /** Commit index of the last committed sub-DAG emitted (indexes start at 1), or 0. */
    long lastCommitIndex() { return lastCommitIndex; }

    /** Set by a checkpoint or a restore: the commits up to it are already published. */
    void resumeAfterCommit(long index) { lastCommitIndex = index; }

    /** Non-null while a restore replays records through {@link #insertAndOrder}. */
    void replayingTo(ReplayObserver observer) { replay = observer; }

    void onCertificate(Certificate c, int from, OutputBuilder out) {
        if (!committee.isMember(from)) {
            stats.reject(RejectReason.UNKNOWN_VALIDATOR);
            return;
        }
        if (dag.contains(c.digest()) || dag.isPending(c.digest())) {
            stats.duplicate();
            return;
        }
        if (c.round() < dag.gcRound()) {
            stats.reject(RejectReason.STALE);
            return;
        }
        var problem = verifier.checkCertificate(committee, c, ownVotes);
        if (problem.isPresent()) {
            stats.reject(certificateRejection(problem.get()));
            return;
        }
        acceptCertificate(c, from, out);
    }

    /** The reason counted for a certificate the committee check refused (its messages name the failed rule). */
    static RejectReason certificateRejection(String problem) {
        if (problem.startsWith("wrong epoch")) return RejectReason.WRONG_EPOCH;
        if (problem.startsWith("invalid signature")) return RejectReason.INVALID_SIGNATURE;
        if (problem.startsWith("signer stake")) return RejectReason.NO_QUORUM;
        return RejectReason.INVALID_CERTIFICATE;
    }

    /** A checked certificate (or our own, just formed): DAG, persist, consensus for what entered, then dependent work. */
    void acceptCertificate(Certificate c, int from, OutputBuilder out) {
        List<CommittedSubDag> commits = new ArrayList<>();
        InsertOutcome outcome = insertAndOrder(c, commits);
        switch (outcome.status()) {
            case REJECTED -> {
                stats.reject(outcome.isEquivocation() ? RejectReason.EQUIVOCATION : RejectReason.DAG_REJECTED);
                return;
            }
            case DUPLICATE -> {
                stats.duplicate();
                return;
            }
            case BELOW_GC -> {
                stats.reject(RejectReason.STALE);
                return;
            }
            case INSERTED, PENDING -> { }
        }
        stats.certificateAccepted();
        // Persisted before the commits it causes: the output is made durable in list order.
        out.persist(new CertificateRecord(c));
        for (CommittedSubDag sub : commits) emitCommit(sub, out);
        if (!outcome.missingParents().isEmpty() && from != self) {
            out.send(Destination.to(from), new CertificateRequest(outcome.missingParents()));
        }
        if (outcome.isInserted()) {
            pruneBelowGc();
            afterInsert.accept(out);
        }
    }

    /** Forget per-round bookkeeping below the GC round: headers there are refused as stale anyway. */
    void pruneBelowGc() {
        long gc = dag.gcRound();
        if (gc <= prunedBelow) return;
        prunedBelow = gc;
        voter.pruneBelow(gc);
        ownHeaders.pruneBelow(gc);
    }

    /**
     * The ordering pipeline, shared by live processing and restore so both take the same path:
     * DAG insert, the consensus for every certificate that entered (in the order it entered),
     * then garbage collection up to the last committed round and the consensus for whatever
     * that released.
     */
    InsertOutcome insertAndOrder(Certificate c, List<CommittedSubDag> commits) {
        InsertOutcome outcome = dag.insert(c);
        if (!outcome.isInserted()) return outcome;
        for (Certificate entered : outcome.inserted()) {
            syncArchive.archive(entered);
            work.certificateEntered(entered);
            if (entered.author() == self) {
                ownHeaders.markCertified(entered.round());
                if (replay != null) replay.ownCertificateEntered(entered);
            }
            // Certificates of rounds we abstain in are from before our records were lost: not ours to requeue.
            if (entered.author() == self && entered.round() > consensus.lastCommittedRound(self)
                    && !abstention.abstainsIn(entered.round())) {
                ownAwaitingCommit.put(entered.round(), entered);
            }
        }
        ArrayDeque<Certificate> toProcess = new ArrayDeque<>(outcome.inserted());
        int before = commits.size();
        while (!toProcess.isEmpty()) {
            commits.addAll(consensus.process(toProcess.poll()));
            if (toProcess.isEmpty()) toProcess.addAll(dag.gc(consensus.lastCommittedRound()));
        }
        if (commits.size() > before) {
            releaseOrphans(commits.subList(before, commits.size()));
            work.afterCommits();
        }
        return outcome;
    }

    /**
     * After commits: our certificates that the commit rule will now skip forever — at or below our
     * last committed round, or below the GC round, and not committed — are orphans (they arrived too
     * late for any later certificate to reference them). Their batches go into a later header, or
     * the transactions acknowledged in them would never be committed (Narwhal's proposer does the same).
     */
    private void releaseOrphans(List<CommittedSubDag> newCommits) {
        if (ownAwaitingCommit.isEmpty()) return;
        long ownCommitted = -1;
        for (CommittedSubDag sub : newCommits) {
            for (Certificate c : sub.certificates()) {
                if (c.author() == self) {
                    ownAwaitingCommit.remove(c.round());
                    ownCommitted = Math.max(ownCommitted, c.round());
                }
            }
        }
        long skippedBelow = Math.max(ownCommitted + 1, dag.gcRound());
        var orphans = ownAwaitingCommit.headMap(skippedBelow, false);
        for (Certificate orphan : orphans.values()) {
            List<Digest> batches = orphan.header().batchDigests();
            if (batches.isEmpty()) continue;
            stats.certificateOrphaned();
            if (replay != null) replay.orphaned(orphan.round(), batches);
            else pendingBatches.requeueFront(batches);
        }
        orphans.clear();
    }

    /** Safety rule 4: the commit record goes before the commit is published. */
    void emitCommit(CommittedSubDag sub, OutputBuilder out) {
        if (sub.index() != lastCommitIndex + 1) {
            throw new IllegalStateException("consensus produced commit index " + sub.index() + " after " + lastCommitIndex);
        }
        lastCommitIndex = sub.index();
        out.persist(new CommittedSubDagRecord(sub));
        out.commit(sub);
    }
}
