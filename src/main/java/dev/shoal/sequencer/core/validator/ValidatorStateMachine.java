package dev.shoal.sequencer.core.validator;

import dev.shoal.sequencer.core.consensus.CommittedSubDag;
import dev.shoal.sequencer.core.consensus.Consensus;
import dev.shoal.sequencer.core.consensus.ConsensusConfig;
import dev.shoal.sequencer.core.consensus.ConsensusState;
import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.dag.Dag;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.validator.Event.BatchReady;
import dev.shoal.sequencer.core.validator.Event.CertificateReceived;
import dev.shoal.sequencer.core.validator.Event.CertificatesRequested;
import dev.shoal.sequencer.core.validator.Event.HeaderReceived;
import dev.shoal.sequencer.core.validator.Event.SafeRoundLearned;
import dev.shoal.sequencer.core.validator.Event.Start;
import dev.shoal.sequencer.core.validator.Event.Tick;
import dev.shoal.sequencer.core.validator.Event.TimerFired;
import dev.shoal.sequencer.core.validator.Event.VoteReceived;
import dev.shoal.sequencer.core.validator.Message.HeaderMessage;
import java.util.List;

/**
 * The validator core of one committee member: a pure, deterministic state machine. It takes one
 * {@link Event} at a time and returns an {@link Output}: records to persist, messages to send,
 * sub-DAGs committed and timers to set. It does no I/O, reads no clock and uses no randomness, so
 * a simulator and the real driver run exactly the same code.
 *
 * <p><b>Driver contract (etcd-raft's Ready):</b> the driver makes {@link Output#toPersist()}
 * durable, in order, BEFORE it sends {@link Output#toSend()} or publishes
 * {@link Output#committed()}. The safety rules depend on it: our header is durable before anyone
 * can vote for it (rule 1), a vote record is durable before the vote leaves (rule 2), a
 * certificate is durable before anything derived from it is published (rule 3), and a committed
 * sub-DAG is durable before clients see it (rule 4).
 *
 * <p><b>Rules</b> (each stated in full where it is enforced):
 * <ul>
 *   <li>Proposal ({@code Proposer}): round r+1 once round r holds certificates with 2f+1 stake and
 *   the round-r leader's certificate is among them or our round-r timeout fired; with nothing to
 *   order and no peer ahead, at most once per idle header interval.</li>
 *   <li>Voting ({@code HeaderVoter}): at most one vote per (author, round), ever; a second, different
 *   header of one author and round is equivocation; a header we voted for gets the same vote again.</li>
 *   <li>Aggregation ({@code VoteCollector}): votes for our current header make a certificate at 2f+1 stake.</li>
 *   <li>Certificates ({@code CertificateIntake}): committee check, then the DAG, then the consensus
 *   for each certificate that entered the DAG, in the order it entered.</li>
 * </ul>
 * Invalid input is rejected, counted in {@link #stats()} and never persisted or voted for.
 *
 * <p>{@link #restore} rebuilds a validator from exactly the records it persisted: it re-sends the
 * persisted header of its latest round (never a new one for that round) and never votes
 * differently from a persisted vote record.
 */
public final class ValidatorStateMachine {
    private final Committee committee;
    private final int self;
    private final ValidatorConfig config;
    private final Dag dag;
    private final Consensus consensus;
    private final ValidatorStats stats = new ValidatorStats();
    private final Abstention abstention = new Abstention();
    private final PendingBatches pendingBatches = new PendingBatches();
    private final OwnHeaders ownHeaders;
    private final SyncArchive syncArchive;
    private final HeaderVoter voter;
    private final CertificateIntake intake;
    private final VoteCollector votes;
    private final Proposer proposer;
    private final Resender resender;
    /** Commits derived by the restore replay but missing from the persisted records. */
    private List<CommittedSubDag> unpublishedAfterRestore = List.of();

    /** With a checkpointed consensus state, or null to start from genesis. */
    private ValidatorStateMachine(Committee committee, int self, KeyPair key, ConsensusConfig consensusConfig,
                                  ValidatorConfig config, Verifier verifier, ConsensusState checkpoint) {
        if (!committee.isMember(self)) throw new IllegalArgumentException("validator index " + self + " is not in " + committee);
        if (!committee.validator(self).publicKey().equals(key.publicKey())) {
            throw new IllegalArgumentException("key " + key.publicKey() + " is not validator " + self + "'s key");
        }
        this.committee = committee;
        this.self = self;
        this.config = config;
        // The signatures of our recent votes: found again inside peers' certificates, they need no verifying.
        // Certificates arrive within a few rounds of our vote; 64 rounds of votes is ample.
        OwnVoteSignatures ownVotes = new OwnVoteSignatures(key.publicKey(), committee.size() * 64);
        this.dag = new Dag(committee, consensusConfig.gcDepth());
        this.ownHeaders = new OwnHeaders(dag);
        this.syncArchive = new SyncArchive(committee, config, dag, stats);
        if (checkpoint == null) {
            this.consensus = new Consensus(committee, dag, consensusConfig);
        } else {
            // GC first, so certificates of the checkpoint's GC round enter without their (pruned) parents.
            dag.gc(checkpoint.lastAnchorRound());
            this.consensus = Consensus.restore(committee, dag, consensusConfig, checkpoint);
        }
        UnorderedWork work = new UnorderedWork(dag, consensus);
        this.voter = new HeaderVoter(committee, self, key, config, dag, stats, ownVotes, abstention, work);
        this.intake = new CertificateIntake(committee, self, verifier, dag, consensus, stats, ownVotes, syncArchive,
                ownHeaders, voter, pendingBatches, abstention, work, this::afterCertificateInserted);
        if (checkpoint != null) intake.resumeAfterCommit(checkpoint.lastCommitIndex());
        this.votes = new VoteCollector(committee, self, key, verifier, stats, ownHeaders, intake);
        this.proposer = new Proposer(committee, self, config, dag, consensus, stats, ownHeaders, pendingBatches, voter,
                votes, abstention, work);
        this.resender = new Resender(committee, self, config, dag, ownHeaders, voter);
    }

    /** A validator that has persisted nothing yet. Feed it {@link Event.Start} first. */
    public static ValidatorStateMachine create(Committee committee, int self, KeyPair key, ConsensusConfig consensusConfig,
                                               ValidatorConfig config, Verifier verifier) {
        return new ValidatorStateMachine(committee, self, key, consensusConfig, config, verifier, null);
    }

    /**
     * A validator whose records are gone (an emptied database, the same key): it may have voted and
     * proposed before, so it abstains from voting and proposing until {@link Event.SafeRoundLearned}
     * arrives, and then through one round above the highest certified round it learned (safety
     * rule 8). It syncs the DAG and commits meanwhile. A brand-new committee starts this way too:
     * its peers then show no certificate above genesis and nobody abstains.
     */
    public static ValidatorStateMachine createWithoutRecords(Committee committee, int self, KeyPair key,
                                                             ConsensusConfig consensusConfig, ValidatorConfig config,
                                                             Verifier verifier) {
        ValidatorStateMachine m = new ValidatorStateMachine(committee, self, key, consensusConfig, config, verifier, null);
        m.abstainUntilSafeRoundLearned();
        return m;
    }

    /**
     * For a validator rebuilt without records of its own (an emptied database, or a join from a
     * peer's checkpoint): as {@link #createWithoutRecords}, it abstains until
     * {@link Event.SafeRoundLearned}. Call before {@link Event.Start}. No effect in a committee of
     * one (nobody else to vote for).
     */
    public void abstainUntilSafeRoundLearned() {
        abstention.untilSafeRoundLearned(committee.size());
    }

    /**
     * Rebuilds a validator from exactly the records it persisted, in the order it persisted them.
     * Certificates are replayed through the DAG and the consensus; the commits the replay derives
     * must start with the persisted commit records (a crash may have lost trailing commit records;
     * those are derived again and emitted by {@link Event.Start}). Feed it {@link Event.Start} next.
     * The records are iterated once, in order, so they may be produced while the replay runs.
     *
     * @throws IllegalStateException when the records contradict each other (a corrupt store)
     */
    public static ValidatorStateMachine restore(Committee committee, int self, KeyPair key, ConsensusConfig consensusConfig,
                                                ValidatorConfig config, Verifier verifier,
                                                Iterable<PersistRecord> persisted) {
        ValidatorStateMachine m = new ValidatorStateMachine(committee, self, key, consensusConfig, config, verifier, null);
        m.replay(persisted);
        return m;
    }

    /**
     * Rebuilds a validator from a checkpointed consensus state and the records persisted around it,
     * for a store that pruned history. {@code persisted} must hold, in the order they were
     * persisted, every certificate record at or above the checkpoint's GC round
     * ({@code state.lastAnchorRound() - gcDepth}) and every commit record after the checkpoint's
     * commit index; older ones may be left out (they are ignored if present), as may own headers
     * and vote records below the GC round. Certificates are replayed through the DAG and passed to
     * the consensus again (certificates the checkpoint had already ordered commit nothing twice:
     * linearisation skips what is at or below each author's last committed round).
     *
     * @throws IllegalStateException when the records contradict each other or the checkpoint
     */
    public static ValidatorStateMachine restore(Committee committee, int self, KeyPair key, ConsensusConfig consensusConfig,
                                                ValidatorConfig config, Verifier verifier,
                                                ConsensusState checkpoint, List<PersistRecord> persisted) {
        ValidatorStateMachine m = new ValidatorStateMachine(committee, self, key, consensusConfig, config, verifier,
                checkpoint);
        m.replay(persisted);
        return m;
    }

    /**
     * Rebuilds a validator from a checkpoint as the node stores it: the consensus state, the DAG
     * window it was taken with (every certificate at or above its GC round) and the records
     * persisted beside or after it. The window goes through the checkpoint restore above first
     * (re-processing it orders nothing twice), then the other records.
     */
    public static ValidatorStateMachine restoreFromCheckpoint(Committee committee, int self, KeyPair key,
                                                              ConsensusConfig consensusConfig, ValidatorConfig config,
                                                              Verifier verifier, ConsensusState state,
                                                              List<Certificate> window, List<PersistRecord> after) {
        return restore(committee, self, key, consensusConfig, config, verifier, state, Replay.checkpointRecords(window, after));
    }

    /** Restore: feeds persisted records back through the same paths live processing uses. */
    private void replay(Iterable<PersistRecord> persisted) {
        unpublishedAfterRestore = new Replay(dag, intake, ownHeaders, voter, pendingBatches).run(persisted);
        intake.pruneBelowGc();
    }

    /** Processes one event. See the class javadoc for the contract on the returned output. */
    public Output step(Event event) {
        OutputBuilder out = new OutputBuilder();
        if (event instanceof HeaderReceived h) {
            voter.onHeader(h.header(), h.from(), out);
            if (!h.header().batchDigests().isEmpty()) proposer.onWork(out);
        } else if (event instanceof VoteReceived v) {
            votes.onVote(v.vote(), out);
        } else if (event instanceof CertificateReceived c) {
            intake.onCertificate(c.certificate(), c.from(), out);
        } else if (event instanceof CertificatesRequested r) {
            syncArchive.onCertificatesRequested(r, out);
        } else if (event instanceof TimerFired t) {
            switch (t.kind()) {
                case ROUND_TIMEOUT -> proposer.onRoundTimeout(t.round(), out);
                case RESEND -> resender.onTimer(t.round(), out);
                case IDLE_HEADER -> proposer.onIdleTimeout(t.round(), out);
            }
        } else if (event instanceof BatchReady b) {
            proposer.onBatchReady(b.batchDigests(), out);
        } else if (event instanceof Tick t) {
            proposer.onTick(t.nowMs(), out);
        } else if (event instanceof Start s) {
            onStart(s, out);
        } else if (event instanceof SafeRoundLearned l) {
            if (abstention.learn(l.highestCertifiedRound())) { // learned once; later answers change nothing
                voter.retryPendingHeaders(out);
                proposer.tryPropose(out);
            }
        } else {
            throw new IllegalArgumentException("unknown event " + event);
        }
        return out.build();
    }

    public ValidatorStats stats() { return stats; }
    public int index() { return self; }
    public Committee committee() { return committee; }

    /** Round of our latest header (0 before the first proposal). */
    public long round() { return ownHeaders.round(); }

    /** Commit index of the last committed sub-DAG we emitted (indexes start at 1), or 0. */
    public long lastCommitIndex() { return intake.lastCommitIndex(); }

    /** Read-only view of the DAG, for drivers and tests. */
    public Dag dag() { return dag; }

    public Consensus consensus() { return consensus; }

    /** True when our lost records may have voted or proposed in {@code round}: we do neither in it (rule 8). */
    public boolean abstainsIn(long round) {
        return abstention.abstainsIn(round);
    }

    private void onStart(Start s, OutputBuilder out) {
        proposer.advanceClock(s.nowMs());
        for (CommittedSubDag c : unpublishedAfterRestore) intake.emitCommit(c, out);
        unpublishedAfterRestore = List.of();
        resender.arm(out);
        long r = round();
        if (r > 0) {
            Header h = ownHeaders.get(r);
            // Safety rule 1: after a restart the persisted header of our round goes out again, never a new one.
            votes.startCollectingVotes(h);
            if (!ownHeaders.certified(h)) out.send(Destination.BROADCAST, new HeaderMessage(h));
            out.timer(new TimerRequest(TimerKind.ROUND_TIMEOUT, r, config.roundTimeoutMs()));
        }
        resender.requestWantedParents(out);
        proposer.tryPropose(out);
    }

    /** Work that waits for certificates to enter the DAG: waiting headers, our own certificate, our next proposal. */
    private void afterCertificateInserted(OutputBuilder out) {
        voter.retryPendingHeaders(out);
        votes.maybeCertify(out);
        proposer.tryPropose(out);
    }
}
