package dev.shoal.sequencer.core.validator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.validator.Event.BatchReady;
import dev.shoal.sequencer.core.validator.Event.CertificateReceived;
import dev.shoal.sequencer.core.validator.Event.HeaderReceived;
import dev.shoal.sequencer.core.validator.Event.Start;
import dev.shoal.sequencer.core.validator.Event.Tick;
import dev.shoal.sequencer.core.validator.Event.TimerFired;
import dev.shoal.sequencer.core.validator.Event.VoteReceived;
import dev.shoal.sequencer.core.validator.Message.CertificateMessage;
import dev.shoal.sequencer.core.validator.Message.HeaderMessage;
import dev.shoal.sequencer.core.validator.Message.VoteMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

/**
 * Idle pacing: without work a validator proposes at most once per idle header interval; work
 * (our batch, a peer's header or certificate carrying batches) or a DAG ahead of us ends the wait
 * at once, and the wait never turns a round timeout into a skipped leader.
 */
class IdlePacingTest {
    private static final long ROUND_TIMEOUT = 1_000;
    private static final long MIN_INTERVAL = 50;
    private static final long IDLE = 2_000;
    private static final ValidatorConfig IDLE_PACED = new ValidatorConfig(ROUND_TIMEOUT, 500, 16, 100, 64,
            ValidatorConfig.DEFAULT_SYNC_RETENTION_ROUNDS, MIN_INTERVAL, IDLE);

    private final TestCommittee tc = new TestCommittee(4, 7);

    private static List<Header> headersSent(Output out) {
        List<Header> hs = new ArrayList<>();
        for (Outbound o : out.toSend()) if (o.message() instanceof HeaderMessage h) hs.add(h.header());
        return hs;
    }

    private static List<Certificate> certificatesSent(Output out) {
        List<Certificate> cs = new ArrayList<>();
        for (Outbound o : out.toSend()) if (o.message() instanceof CertificateMessage c) cs.add(c.certificate());
        return cs;
    }

    private static Digest batch(int i) {
        return Digest.sha256(new byte[] {(byte) i, 42});
    }

    private ValidatorStateMachine machine(TestCommittee committee, int self) {
        return ValidatorStateMachine.create(committee.committee, self, committee.keys[self], TestCommittee.CONSENSUS,
                IDLE_PACED, Verifier.DIRECT);
    }

    private List<Integer> all() {
        return List.of(0, 1, 2, 3);
    }

    private Certificate certificate(int author, long round, List<Digest> batches, List<Digest> parents) {
        return tc.certificate(Header.of(tc.committee.epoch(), round, author, round, batches, parents), all());
    }

    /** A validator of the 4-committee whose round-1 header is certified and holds every round-1 certificate. */
    private final class AtRoundOne {
        final ValidatorStateMachine m;
        final int self;
        final List<Certificate> round1 = new ArrayList<>();
        Output last;

        AtRoundOne(int self, List<Integer> peersWithCertificates) {
            this.self = self;
            m = machine(tc, self);
            Header h1 = headersSent(m.step(new Start(0))).get(0);
            int voted = 0;
            for (int v = 0; v < 4 && voted < 2; v++) {
                if (v == self) continue;
                Output out = m.step(new VoteReceived(tc.vote(h1, v)));
                voted++;
                round1.addAll(certificatesSent(out));
            }
            assertThat(round1).as("our round-1 certificate").hasSize(1);
            m.step(new Tick(100));
            for (int p : peersWithCertificates) {
                Certificate c = certificate(p, 1, List.of(), tc.genesisDigests());
                round1.add(c);
                last = m.step(new CertificateReceived(c, p));
            }
        }

        List<Digest> parents() {
            return TestCommittee.digests(round1);
        }
    }

    private AtRoundOne idleAtRoundOne() {
        AtRoundOne v = new AtRoundOne(0, List.of(1, 2, 3));
        assertThat(headersSent(v.last)).as("round 2 waits for the idle interval").isEmpty();
        assertThat(v.m.round()).isEqualTo(1);
        return v;
    }

    @Test
    void anIdleValidatorWaitsTheIdleIntervalAndAsksToBeWokenForIt() {
        AtRoundOne v = idleAtRoundOne();
        assertThat(v.last.timers()).contains(new TimerRequest(TimerKind.IDLE_HEADER, 1, IDLE - 100));
        for (long t = 110; t < IDLE; t += 10) assertThat(headersSent(v.m.step(new Tick(t)))).as("t=%d", t).isEmpty();
        List<Header> sent = headersSent(v.m.step(new Tick(IDLE)));
        assertThat(sent).extracting(Header::round).containsExactly(2L);
        assertThat(sent.get(0).parents()).containsExactlyInAnyOrderElementsOf(v.parents());
        assertThat(v.m.stats().idleWaits()).as("one wait, counted once however many ticks it saw").isEqualTo(1);
    }

    @Test
    void theIdleTimerEndsTheWaitWhateverTheLastTick() {
        AtRoundOne v = idleAtRoundOne();
        // A timer of an older round changes nothing.
        assertThat(headersSent(v.m.step(new TimerFired(TimerKind.IDLE_HEADER, 0)))).isEmpty();
        // The driver's ticks may lag its timers: the timer alone ends the wait.
        assertThat(headersSent(v.m.step(new TimerFired(TimerKind.IDLE_HEADER, 1)))).extracting(Header::round)
                .containsExactly(2L);
    }

    @Test
    void aBatchArrivingWhileIdleIsProposedAtOnce() {
        AtRoundOne v = idleAtRoundOne();
        v.m.step(new Tick(300));
        List<Header> sent = headersSent(v.m.step(new BatchReady(List.of(batch(1)))));
        assertThat(sent).extracting(Header::round).containsExactly(2L);
        assertThat(sent.get(0).batchDigests()).containsExactly(batch(1));
        assertThat(v.m.stats().idleWaits()).isEqualTo(1);
    }

    @Test
    void aBusyValidatorNeverWaitsIdle() {
        AtRoundOne v = new AtRoundOne(0, List.of());
        v.m.step(new BatchReady(List.of(batch(7))));
        for (int p = 1; p <= 3; p++) {
            v.m.step(new CertificateReceived(certificate(p, 1, List.of(batch(10 + p)), tc.genesisDigests()), p));
        }
        assertThat(v.m.round()).as("round 2 proposed at once").isEqualTo(2);
        assertThat(v.m.stats().idleWaits()).isZero();
    }

    @Test
    void aPeersHeaderCarryingBatchesMakesUsBusy() {
        AtRoundOne v = idleAtRoundOne();
        v.m.step(new Tick(300));
        Header peer = Header.of(tc.committee.epoch(), 2, 1, 300, List.of(batch(2)), v.parents());
        Output out = v.m.step(new HeaderReceived(peer, 1));
        assertThat(out.toSend()).anyMatch(o -> o.message() instanceof VoteMessage);
        assertThat(headersSent(out)).extracting(Header::round).containsExactly(2L);
    }

    @Test
    void aPeersHeaderWithoutBatchesDoesNotEndTheWait() {
        AtRoundOne v = idleAtRoundOne();
        v.m.step(new Tick(300));
        Header peer = Header.of(tc.committee.epoch(), 2, 1, 300, List.of(), v.parents());
        Output out = v.m.step(new HeaderReceived(peer, 1));
        assertThat(out.toSend()).anyMatch(o -> o.message() instanceof VoteMessage);
        assertThat(headersSent(out)).isEmpty();
    }

    @Test
    void aValidatorBehindTheDagCatchesUpAtOnce() {
        AtRoundOne v = idleAtRoundOne();
        v.m.step(new Tick(300));
        // A peer's round-2 certificate, no batches: the committee moved on, we follow without waiting.
        Certificate ahead = certificate(1, 2, List.of(), v.parents());
        assertThat(headersSent(v.m.step(new CertificateReceived(ahead, 1)))).extracting(Header::round)
                .containsExactly(2L);
    }

    @Test
    void uncommittedCertificatesCarryingBatchesKeepUsBusy() {
        assertThat(roundThreeProposedAt(List.of(batch(3)))).isEqualTo(IDLE + 100);
        // The same round without batches waits for the idle interval.
        assertThat(roundThreeProposedAt(List.of())).isEqualTo(2 * IDLE);
    }

    /** Round 2 proposed at the idle interval, then a full round 2 arrives: when do we propose round 3? */
    private long roundThreeProposedAt(List<Digest> peerBatches) {
        AtRoundOne v = idleAtRoundOne();
        Header h2 = headersSent(v.m.step(new Tick(IDLE))).get(0);
        v.m.step(new Tick(IDLE + 100));
        List<Certificate> round2 = new ArrayList<>();
        for (int p = 1; p <= 2; p++) round2.addAll(certificatesSent(v.m.step(new VoteReceived(tc.vote(h2, p)))));
        assertThat(round2).hasSize(1);
        round2.add(certificate(1, 2, peerBatches, v.parents()));
        round2.add(certificate(2, 2, List.of(), v.parents()));
        List<Header> sent = new ArrayList<>();
        for (Certificate c : round2.subList(1, 3)) sent.addAll(headersSent(v.m.step(new CertificateReceived(c, c.author()))));
        sent.addAll(headersSent(v.m.step(new CertificateReceived(certificate(3, 2, List.of(), v.parents()), 3))));
        if (!sent.isEmpty()) return IDLE + 100;
        for (long t = IDLE + 110; t <= 3 * IDLE; t += 10) {
            if (!headersSent(v.m.step(new Tick(t))).isEmpty()) return t;
        }
        return -1;
    }

    @Test
    void aRoundTimeoutWhileIdleProposesNothingAndTheLeaderIsNotSkipped() {
        int leader = machine(tc, 0).consensus().leader(1);
        int self = (leader + 1) % 4;
        List<Integer> others = new ArrayList<>();
        for (int p = 0; p < 4; p++) if (p != self && p != leader) others.add(p);
        AtRoundOne v = new AtRoundOne(self, others);
        assertThat(headersSent(v.last)).as("the leader's certificate is missing").isEmpty();

        v.m.step(new Tick(ROUND_TIMEOUT));
        assertThat(headersSent(v.m.step(new TimerFired(TimerKind.ROUND_TIMEOUT, 1)))).as("idle: the timeout waits too")
                .isEmpty();
        v.m.step(new Tick(1_500));
        Certificate leaderCertificate = certificate(leader, 1, List.of(), tc.genesisDigests());
        assertThat(headersSent(v.m.step(new CertificateReceived(leaderCertificate, leader)))).isEmpty();

        List<Header> sent = headersSent(v.m.step(new Tick(IDLE)));
        assertThat(sent).extracting(Header::round).containsExactly(2L);
        assertThat(sent.get(0).parents()).as("the leader's certificate is a parent").contains(leaderCertificate.digest());
    }

    @Test
    void aMissingLeaderIsStillPassedOverAfterItsTimeout() {
        int leader = machine(tc, 0).consensus().leader(1);
        int self = (leader + 1) % 4;
        List<Integer> others = new ArrayList<>();
        for (int p = 0; p < 4; p++) if (p != self && p != leader) others.add(p);
        AtRoundOne v = new AtRoundOne(self, others);
        v.m.step(new Tick(ROUND_TIMEOUT));
        v.m.step(new TimerFired(TimerKind.ROUND_TIMEOUT, 1));
        List<Header> sent = headersSent(v.m.step(new Tick(IDLE)));
        assertThat(sent).extracting(Header::round).containsExactly(2L);
        assertThat(sent.get(0).parents()).hasSize(3);
    }

    @Test
    void anIdleCommitteeOfOneProposesOncePerIdleIntervalAndKeepsCommitting() {
        TestCommittee one = new TestCommittee(1, 3);
        Clocked c = new Clocked(machine(one, 0));
        c.runUntil(61_000);
        // The first header at Start, then one per idle interval.
        assertThat(c.headers).hasSize((int) (60_000 / IDLE) + 1);
        for (int i = 1; i < c.headers.size(); i++) {
            assertThat(c.headers.get(i).timestampMs() - c.headers.get(i - 1).timestampMs()).isEqualTo(IDLE);
        }
        assertThat(c.machine.lastCommitIndex()).isGreaterThanOrEqualTo(25);

        // Work: a header at once (the minimum interval has long passed), then rounds at the minimum interval until it is committed.
        long before = c.machine.lastCommitIndex();
        c.step(new BatchReady(List.of(batch(9))));
        assertThat(c.headers.get(c.headers.size() - 1).batchDigests()).containsExactly(batch(9));
        assertThat(c.headers.get(c.headers.size() - 1).timestampMs()).isEqualTo(61_000);
        c.runUntil(61_000 + 10 * MIN_INTERVAL);
        assertThat(c.committedBatches).contains(batch(9));
        assertThat(c.machine.lastCommitIndex()).isGreaterThan(before);
        // Idle again: back to the idle interval.
        int headers = c.headers.size();
        c.runUntil(61_000 + 10 * MIN_INTERVAL + 3 * IDLE);
        assertThat(c.headers.size() - headers).isBetween(2, 4);
    }

    /**
     * A gap between batches is not idleness: after the last work the rounds go on at the header
     * interval for {@link Proposer#IDLE_GRACE_INTERVALS} intervals, and only then wait for the idle
     * interval (under light load, waiting in every gap restarted the committee from a standstill
     * for each batch).
     */
    @Test
    void idlenessStartsSomeHeaderIntervalsAfterTheLastWork() {
        TestCommittee one = new TestCommittee(1, 3);
        Clocked c = new Clocked(machine(one, 0));
        long t0 = 3 * IDLE + 500;
        c.runUntil(t0);
        c.step(new BatchReady(List.of(batch(9))));
        int first = c.headers.size() - 1;
        assertThat(c.headers.get(first).batchDigests()).containsExactly(batch(9));
        c.runUntil(t0 + 2 * IDLE);
        List<Long> times = new ArrayList<>();
        for (Header h : c.headers.subList(first, c.headers.size())) times.add(h.timestampMs());
        // The batch's certificate is work until the next header orders it (t0 + MIN: work last seen);
        // the grace then allows IDLE_GRACE_INTERVALS - 1 more headers at the interval, then idleness.
        List<Long> expected = new ArrayList<>();
        for (int k = 0; k <= Proposer.IDLE_GRACE_INTERVALS; k++) expected.add(t0 + k * MIN_INTERVAL);
        expected.add(t0 + Proposer.IDLE_GRACE_INTERVALS * MIN_INTERVAL + IDLE);
        assertThat(times).isEqualTo(expected);
        assertThat(c.machine.stats().idleWaits()).as("waits before the batch, and one after the grace")
                .isGreaterThanOrEqualTo(4);
    }

    /** One machine driven like the real loop: a tick every 10 ms and its timers, in time order. */
    private static final class Clocked {
        private record Pending(long at, long seq, TimerRequest timer) {}

        final ValidatorStateMachine machine;
        final List<Header> headers = new ArrayList<>();
        final List<Digest> committedBatches = new ArrayList<>();
        private final PriorityQueue<Pending> timers = new PriorityQueue<>((a, b) ->
                a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
        private long now;
        private long seq;

        Clocked(ValidatorStateMachine machine) {
            this.machine = machine;
            step(new Start(0));
        }

        void step(Event e) {
            Output out = machine.step(e);
            headers.addAll(headersSent(out));
            out.committed().forEach(s -> committedBatches.addAll(s.batches()));
            for (TimerRequest t : out.timers()) timers.add(new Pending(now + t.delayMs(), seq++, t));
        }

        void runUntil(long end) {
            while (now < end) {
                long nextTick = now + 10;
                while (!timers.isEmpty() && timers.peek().at() < nextTick) {
                    Pending p = timers.poll();
                    step(new TimerFired(p.timer().kind(), p.timer().round()));
                }
                now = nextTick;
                step(new Tick(now));
            }
        }
    }
}
