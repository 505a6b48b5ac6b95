package dev.shoal.sequencer.core.validator;

import dev.shoal.sequencer.core.consensus.Consensus;
import dev.shoal.sequencer.core.dag.Dag;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.validator.Message.HeaderMessage;
import dev.shoal.sequencer.core.validator.PersistRecord.OwnHeaderRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Proposes round r+1 when the DAG holds round-r certificates with at least 2f+1 stake and either
 * the round-r leader's certificate is among them or our round-r timeout fired. The header carries
 * every round-r certificate we hold as parents and up to {@link ValidatorConfig#maxBatchesPerHeader()}
 * of our pending batch digests.
 */
final class Proposer {
    private final Committee committee;
    private final int self;
    private final ValidatorConfig config;
    private final Dag dag;
    private final Consensus consensus;
    private final ValidatorStats stats;
    private final OwnHeaders ownHeaders;
    private final PendingBatches pendingBatches;
    private final HeaderVoter voter;
    private final VoteCollector votes;
    private final Abstention abstention;

    private long timedOutRound = -1;
    private long nowMs;
    /** Time of our last proposal (event time); paces proposals when minHeaderIntervalMs is set. */
    private long lastProposalMs;

    Proposer(Committee committee, int self, ValidatorConfig config, Dag dag, Consensus consensus, ValidatorStats stats,
             OwnHeaders ownHeaders, PendingBatches pendingBatches, HeaderVoter voter, VoteCollector votes,
             Abstention abstention) {
        this.committee = committee;
        this.self = self;
        this.config = config;
        this.dag = dag;
        this.consensus = consensus;
        this.stats = stats;
        this.ownHeaders = ownHeaders;
        this.pendingBatches = pendingBatches;
        this.voter = voter;
        this.votes = votes;
        this.abstention = abstention;
    }

    /** Event time (Start, Tick); used for header timestamps and pacing, never read from a clock. */
    void advanceClock(long eventNowMs) {
        nowMs = Math.max(nowMs, eventNowMs);
    }

    void onTick(long eventNowMs, OutputBuilder out) {
        advanceClock(eventNowMs);
        if (config.minHeaderIntervalMs() > 0) tryPropose(out);
    }

    void onBatchReady(List<Digest> batches, OutputBuilder out) {
        pendingBatches.add(batches);
        // A full header's worth of batches does not wait for the header interval.
        if (pendingBatches.size() >= config.maxBatchesPerHeader()) tryPropose(out);
    }

    void onRoundTimeout(long round, OutputBuilder out) {
        if (round > timedOutRound) timedOutRound = round;
        tryPropose(out);
    }

    void onIdleTimeout(long round, OutputBuilder out) {
    }

    void tryPropose(OutputBuilder out) {
        if (config.minHeaderIntervalMs() > 0 && ownHeaders.round() > 0
                && nowMs - lastProposalMs < config.minHeaderIntervalMs()
                && pendingBatches.size() < config.maxBatchesPerHeader()) {
            return; // paced: the next Tick past the interval (or a full header of batches) proposes
        }
        long current = ownHeaders.round();
        // Catch up: propose on the highest round that qualifies, not on every round in between.
        for (long r = Math.max(current, dag.highestRound()); r >= current; r--) {
            if (abstention.abstainsIn(r + 1)) return; // rule 8: this round may have been ours before our records were lost
            if (readyToAdvanceFrom(r)) {
                propose(r + 1, out);
                return;
            }
        }
    }

    private boolean readyToAdvanceFrom(long r) {
        List<Certificate> certs = dag.round(r);
        List<Integer> authors = new ArrayList<>(certs.size());
        for (Certificate c : certs) authors.add(c.author());
        if (committee.stakeOf(authors) < committee.quorumThreshold()) return false;
        if (r == 0 || timedOutRound >= r) return true;
        // Only anchor candidates have a leader worth waiting for.
        if (!consensus.isAnchorCandidate(r)) return true;
        return authors.contains(consensus.leader(r));
    }

    /** Safety rule 1: the header is persisted before it is sent (the output's persist list goes first). */
    private void propose(long round, OutputBuilder out) {
        requeueAbandonedBatches();
        List<Digest> parents = new ArrayList<>();
        for (Certificate c : dag.round(round - 1)) parents.add(c.digest());
        List<Digest> batches = new ArrayList<>();
        while (batches.size() < config.maxBatchesPerHeader() && !pendingBatches.isEmpty()) {
            batches.add(pendingBatches.poll());
        }
        Header h = Header.of(committee.epoch(), round, self, nowMs, batches, parents);
        lastProposalMs = nowMs;
        ownHeaders.add(h);
        voter.ownHeader(h);
        stats.headerProposed();
        out.persist(new OwnHeaderRecord(h));
        out.send(Destination.BROADCAST, new HeaderMessage(h));
        out.timer(new TimerRequest(TimerKind.ROUND_TIMEOUT, round, config.roundTimeoutMs()));
        votes.startCollectingVotes(h);
        votes.maybeCertify(out);
    }

    /**
     * Our previous header, if it was never certified, is abandoned now: votes for an older round are
     * refused and only we could certify it. Its batches go back to the front of the queue, so the
     * next header carries them: otherwise acknowledged transactions would never be committed.
     */
    private void requeueAbandonedBatches() {
        long r = ownHeaders.round();
        if (r == 0) return;
        Header previous = ownHeaders.get(r);
        if (previous == null || ownHeaders.certified(previous) || previous.batchDigests().isEmpty()) return;
        pendingBatches.requeueFront(previous.batchDigests());
        stats.headerAbandoned();
    }
}
