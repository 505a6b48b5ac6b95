package dev.shoal.sequencer.core.validator;

import dev.shoal.sequencer.core.consensus.CommittedSubDag;
import dev.shoal.sequencer.core.dag.Dag;
import dev.shoal.sequencer.core.dag.InsertOutcome;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.validator.PersistRecord.CertificateRecord;
import dev.shoal.sequencer.core.validator.PersistRecord.CommittedSubDagRecord;
import dev.shoal.sequencer.core.validator.PersistRecord.OwnHeaderRecord;
import dev.shoal.sequencer.core.validator.PersistRecord.VoteRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Restore: feeds persisted records back through the same paths live processing uses. One use per
 * restore; it also decides which batches of our orphaned certificates the live node had not yet
 * proposed again.
 */
final class Replay implements CertificateIntake.ReplayObserver {
    private final Dag dag;
    private final CertificateIntake intake;
    private final OwnHeaders ownHeaders;
    private final HeaderVoter voter;
    private final PendingBatches pendingBatches;
    /**
     * Batches of orphaned own certificates, with the orphan's round, that no later own certificate
     * of the replay carried (decided at the end of the replay).
     */
    private final LinkedHashMap<Digest, Long> orphanedDuringReplay = new LinkedHashMap<>();
    /**
     * The batches of our recent certificates by round (about two GC depths): a live re-proposal of
     * an orphan's batch can enter a round-ordered replay before the commit that finds the orphan does.
     */
    private final TreeMap<Long, List<Digest>> ownBatchesDuringReplay = new TreeMap<>();

    Replay(Dag dag, CertificateIntake intake, OwnHeaders ownHeaders, HeaderVoter voter, PendingBatches pendingBatches) {
        this.dag = dag;
        this.intake = intake;
        this.ownHeaders = ownHeaders;
        this.voter = voter;
        this.pendingBatches = pendingBatches;
    }

    /**
     * The records of {@link ValidatorStateMachine#restoreFromCheckpoint} in replay order: the
     * checkpoint's DAG window by (round, author) goes before the certificates and commits persisted
     * beside or after it; own headers and vote records go first.
     */
    static List<PersistRecord> checkpointRecords(List<Certificate> window, List<PersistRecord> after) {
        List<Certificate> ordered = new ArrayList<>(window);
        ordered.sort(Comparator.comparingLong(Certificate::round).thenComparingInt(Certificate::author));
        List<PersistRecord> records = new ArrayList<>(ordered.size() + after.size());
        for (PersistRecord r : after) {
            if (!(r instanceof CertificateRecord) && !(r instanceof CommittedSubDagRecord)) records.add(r);
        }
        for (Certificate c : ordered) records.add(new CertificateRecord(c));
        for (PersistRecord r : after) {
            if (r instanceof CertificateRecord || r instanceof CommittedSubDagRecord) records.add(r);
        }
        return records;
    }

    /**
     * Replays the records, in order, and returns the commits derived by the replay but missing from
     * the persisted records (a crash lost them; they are emitted again at Start).
     *
     * @throws IllegalStateException when the records contradict each other (a corrupt store)
     */
    List<CommittedSubDag> run(Iterable<PersistRecord> persisted) {
        intake.replayingTo(this);
        long checkpointIndex = intake.lastCommitIndex();
        List<CommittedSubDag> persistedCommits = new ArrayList<>();
        List<CommittedSubDag> replayed = new ArrayList<>();
        for (PersistRecord r : persisted) {
            if (r instanceof OwnHeaderRecord oh) {
                Header h = oh.header();
                ownHeaders.restore(h);
                voter.ownHeader(h);
            } else if (r instanceof VoteRecord v) {
                voter.restoreVote(v);
            } else if (r instanceof CertificateRecord c) {
                InsertOutcome outcome = intake.insertAndOrder(c.certificate(), replayed);
                if (outcome.isRejected()) {
                    throw new IllegalStateException("persisted certificate " + c.certificate() + " is rejected by the DAG: "
                            + outcome.rejection());
                }
            } else if (r instanceof CommittedSubDagRecord cr) {
                if (cr.subDag().index() > checkpointIndex) persistedCommits.add(cr.subDag());
            }
        }
        if (persistedCommits.size() > replayed.size()
                || !replayed.subList(0, persistedCommits.size()).equals(persistedCommits)) {
            throw new IllegalStateException("replaying " + replayed.size() + " commits does not reproduce the "
                    + persistedCommits.size() + " persisted commits after index " + checkpointIndex);
        }
        intake.resumeAfterCommit(persistedCommits.isEmpty() ? checkpointIndex : persistedCommits.get(persistedCommits.size() - 1).index());
        List<CommittedSubDag> unpublished = new ArrayList<>(replayed.subList(persistedCommits.size(), replayed.size()));
        intake.replayingTo(null);
        requeueOrphansFoundInReplay();
        return unpublished;
    }

    /**
     * An own certificate entered during the replay: it settles earlier orphans whose batches it
     * carries (the live node requeued and proposed them again), and is remembered for a while for
     * orphans the replay finds only later.
     */
    @Override
    public void ownCertificateEntered(Certificate c) {
        List<Digest> batches = c.header().batchDigests();
        for (Digest d : batches) {
            Long orphanRound = orphanedDuringReplay.get(d);
            if (orphanRound != null && orphanRound < c.round()) orphanedDuringReplay.remove(d);
        }
        if (!batches.isEmpty()) ownBatchesDuringReplay.put(c.round(), batches);
        ownBatchesDuringReplay.headMap(dag.gcRound() - dag.gcDepth(), false).clear();
    }

    /** An orphan found by the replay: its batches wait for the end unless a later own certificate carried them. */
    @Override
    public void orphaned(long round, List<Digest> batches) {
        for (Digest d : batches) {
            boolean proposedLater = false;
            for (List<Digest> later : ownBatchesDuringReplay.tailMap(round, false).values()) {
                if (later.contains(d)) {
                    proposedLater = true;
                    break;
                }
            }
            if (!proposedLater) orphanedDuringReplay.merge(d, round, Math::max);
        }
    }

    /**
     * The replay met orphaned own certificates whose batches no later own certificate carried. They
     * are queued again unless one of our later (uncertified) headers already carried them.
     */
    private void requeueOrphansFoundInReplay() {
        Map<Digest, Long> lastProposed = new HashMap<>();
        for (Header h : ownHeaders.all()) {
            for (Digest d : h.batchDigests()) lastProposed.merge(d, h.round(), Math::max);
        }
        List<Digest> again = new ArrayList<>();
        for (Map.Entry<Digest, Long> orphan : orphanedDuringReplay.entrySet()) {
            if (lastProposed.getOrDefault(orphan.getKey(), -1L) <= orphan.getValue()) again.add(orphan.getKey());
        }
        pendingBatches.requeueFront(again);
        orphanedDuringReplay.clear();
        ownBatchesDuringReplay.clear();
    }
}
