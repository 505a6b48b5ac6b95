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
 *
 * <p><b>Pacing.</b> At least {@link ValidatorConfig#minHeaderIntervalMs()} between our headers
 * unless a full header of batches waits. And while we are idle — no pending batch of ours, no
 * batch waiting to be ordered ({@link UnorderedWork}), and no certificate in the DAG above our
 * round — at least {@link ValidatorConfig#idleHeaderIntervalMs()} since our last header (event
 * time, or our IDLE_HEADER timer). Work ends the wait at once, and a DAG above our round means
 * peers moved on, so we follow at once: the committee then advances about one round per idle
 * interval, every validator in every round, and no leader is passed over for being idle. Idle
 * means no work seen for {@link #IDLE_GRACE_INTERVALS} header intervals: a gap between batches is
 * not idleness. The wait
 * only ever delays a proposal the rules already allow, so the round timeout still counts from our
 * proposal: a missing leader is passed over no sooner than without pacing.
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
    private final UnorderedWork work;

    private long timedOutRound = -1;
    /** Highest round whose leader wait we armed a timeout for outside a proposal (-1: none). */
    private long leaderTimerRound = -1;
    private long nowMs;
    /** Time of our last proposal (event time); paces proposals when minHeaderIntervalMs is set. */
    private long lastProposalMs;
    /** False until this incarnation proposed: a restarted validator does not wait out an idle interval. */
    private boolean proposed;
    /** True while a proposal the rules allow waits for the idle interval. */
    private boolean waitingIdle;
    /** Our round whose IDLE_HEADER timer is set (-1: none). */
    private long idleTimerRound = -1;
    /** Our round whose IDLE_HEADER timer fired: its idle wait is over. */
    private long idleOverRound = -1;
    /** Event time we last saw work (-1: never); idleness starts {@link #IDLE_GRACE_INTERVALS} header intervals later. */
    private long lastWorkMs = -1;
    /**
     * Header intervals without work before proposals wait for the idle interval. Under light load
     * batches arrive with gaps of a round or two, and proposals waited in those gaps (about 175
     * waits per 30 s at 1,000 tx/s in the end-to-end bench), each a standstill the next batch had
     * to end. Idle means no work for a while, not for one round.
     */
    static final int IDLE_GRACE_INTERVALS = 4;

    Proposer(Committee committee, int self, ValidatorConfig config, Dag dag, Consensus consensus, ValidatorStats stats,
             OwnHeaders ownHeaders, PendingBatches pendingBatches, HeaderVoter voter, VoteCollector votes,
             Abstention abstention, UnorderedWork work) {
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
        this.work = work;
    }

    /** Event time (Start, Tick); used for header timestamps and pacing, never read from a clock. */
    void advanceClock(long eventNowMs) {
        nowMs = Math.max(nowMs, eventNowMs);
    }

    void onTick(long eventNowMs, OutputBuilder out) {
        advanceClock(eventNowMs);
        if (config.minHeaderIntervalMs() > 0 || config.idleHeaderIntervalMs() > 0) tryPropose(out);
    }

    void onBatchReady(List<Digest> batches, OutputBuilder out) {
        lastWorkMs = nowMs;
        pendingBatches.add(batches);
        // A full header's worth of batches does not wait for the header interval.
        if (pendingBatches.size() >= config.maxBatchesPerHeader()) tryPropose(out);
        else onWork(out);
    }

    /** Work arrived (our batch, a peer's header carrying batches): an idle wait ends now, not at the next tick. */
    void onWork(OutputBuilder out) {
        lastWorkMs = nowMs;
        if (waitingIdle) tryPropose(out);
    }

    void onRoundTimeout(long round, OutputBuilder out) {
        if (round > timedOutRound) timedOutRound = round;
        tryPropose(out);
    }

    void onIdleTimeout(long round, OutputBuilder out) {
        if (round != ownHeaders.round()) return; // set for an earlier header of ours
        idleOverRound = round;
        tryPropose(out);
    }

    void tryPropose(OutputBuilder out) {
        if (config.minHeaderIntervalMs() > 0 && ownHeaders.round() > 0
                && nowMs - lastProposalMs < config.minHeaderIntervalMs()
                && pendingBatches.size() < config.maxBatchesPerHeader()) {
            return; // paced: the next Tick past the interval (or a full header of batches) proposes
        }
        long current = ownHeaders.round();
        // Catch up: propose on the highest round that qualifies, not on every round in between.
        long waitingForLeader = -1;
        for (long r = Math.max(current, dag.highestRound()); r >= current; r--) {
            if (abstention.abstainsIn(r + 1)) break; // rule 8: this round may have been ours before our records were lost
            if (readyToAdvanceFrom(r)) {
                if (waitsIdle(current, out)) return;
                propose(r + 1, out);
                return;
            }
            if (waitingForLeader < 0 && waitsForLeaderOnly(r)) waitingForLeader = r;
        }
        if (waitingForLeader >= 0) armLeaderTimeout(waitingForLeader, out);
    }

    /** Round r has a quorum and waits only for its leader's certificate (no timeout seen yet). */
    private boolean waitsForLeaderOnly(long r) {
        return r > 0 && timedOutRound < r && committee.stakeOf(authorsOf(r)) >= committee.quorumThreshold();
    }

    private List<Integer> authorsOf(long r) {
        List<Certificate> certs = dag.round(r);
        List<Integer> authors = new ArrayList<>(certs.size());
        for (Certificate c : certs) authors.add(c.author());
        return authors;
    }

    /**
     * The wait for a leader ends at the round timeout. Our proposal arms it for our round; a round
     * we did not propose in (we abstained there, rule 8, or caught up past it) needs its own, or a
     * missing leader would be waited for forever.
     */
    private void armLeaderTimeout(long r, OutputBuilder out) {
        if (r <= leaderTimerRound || r == ownHeaders.round()) return; // armed already (by us, or by our proposal of r)
        leaderTimerRound = r;
        out.timer(new TimerRequest(TimerKind.ROUND_TIMEOUT, r, config.roundTimeoutMs()));
    }

    /**
     * True when the proposal waits for the idle interval: we proposed in this incarnation, have no
     * work, the DAG is not above our round, and the interval since our last header is not over.
     * Sets the IDLE_HEADER timer once per round, so the wait ends even without ticks.
     */
    private boolean waitsIdle(long current, OutputBuilder out) {
        long idle = config.idleHeaderIntervalMs();
        if (idle == 0 || !proposed || idleOverRound == current) return false;
        if (dag.highestRound() > current) return false;
        if (!pendingBatches.isEmpty() || work.any(current)) {
            lastWorkMs = nowMs;
            return false;
        }
        if (lastWorkMs >= 0 && nowMs - lastWorkMs < IDLE_GRACE_INTERVALS * config.minHeaderIntervalMs()) return false;
        long due = lastProposalMs + idle;
        if (nowMs >= due) return false;
        waitingIdle = true;
        if (idleTimerRound != current) {
            idleTimerRound = current;
            stats.idleWait();
            out.timer(new TimerRequest(TimerKind.IDLE_HEADER, current, due - nowMs));
        }
        return true;
    }

    private boolean readyToAdvanceFrom(long r) {
        List<Integer> authors = authorsOf(r);
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
        proposed = true;
        waitingIdle = false;
        work.header(h);
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
