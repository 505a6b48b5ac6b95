package dev.shoal.sequencer.core.validator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.validator.Event.CertificateReceived;
import dev.shoal.sequencer.core.validator.Event.HeaderReceived;
import dev.shoal.sequencer.core.validator.Event.Start;
import dev.shoal.sequencer.core.validator.Message.VoteMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Voting never helps certify a second header for one (author, round): also when what we know of
 * the first one is only its certificate (our vote record lost with a wiped database, or never
 * made because the certificate reached us first).
 */
class NoEquivocationTest {
    private final TestCommittee tc = new TestCommittee(4, 7);

    private static long votes(Output out) {
        return out.toSend().stream().filter(o -> o.message() instanceof VoteMessage).count();
    }

    /**
     * Regression: the vote check consulted only the vote and seen-header maps. A validator that
     * holds the certificate of (author 2, round 1) but never saw the header (a wiped database, or
     * the certificate came first) voted for a twin header of that slot.
     */
    @Test
    void noVoteForAHeaderWhoseSlotAlreadyHasACertificateInTheDag() {
        ValidatorStateMachine m = tc.machine(0);
        m.step(new Start(0));
        Header h = tc.header(2, 1, tc.genesisDigests(), 5);
        Certificate certified = tc.certificate(h, List.of(1, 2, 3));
        m.step(new CertificateReceived(certified, 2));
        assertThat(m.dag().contains(certified.digest())).isTrue();

        Header twin = tc.header(2, 1, tc.genesisDigests(), 6);
        Output out = m.step(new HeaderReceived(twin, 2));
        assertThat(votes(out)).isZero();
        assertThat(out.toPersist()).isEmpty();
        assertThat(m.stats().rejected(RejectReason.EQUIVOCATION)).isEqualTo(1);
    }

    /** The certified header itself needs no vote of ours any more: nothing is persisted or sent. */
    @Test
    void noVoteForAHeaderThatIsAlreadyCertified() {
        ValidatorStateMachine m = tc.machine(0);
        m.step(new Start(0));
        Header h = tc.header(2, 1, tc.genesisDigests(), 5);
        m.step(new CertificateReceived(tc.certificate(h, List.of(1, 2, 3)), 2));

        Output out = m.step(new HeaderReceived(h, 2));
        assertThat(votes(out)).isZero();
        assertThat(out.toPersist()).isEmpty();
    }

    /**
     * Regression: a header of a far-future round stayed in the seen and pending maps forever (their
     * pruning only drops rounds below GC), so a peer could fill them. Headers more than gcDepth rounds
     * above our DAG are refused before any bookkeeping or parent request.
     */
    @Test
    void aFarFutureHeaderIsRefusedBeforeAnyBookkeeping() {
        ValidatorStateMachine m = tc.machine(0);
        m.step(new Start(0));
        long far = m.dag().highestRound() + TestCommittee.CONSENSUS.gcDepth() + 1;
        Header h = tc.header(2, far, List.of(dev.shoal.sequencer.core.types.Digest.sha256(new byte[] {7})), 5);
        Output out = m.step(new HeaderReceived(h, 2));
        assertThat(out.toSend()).isEmpty();
        assertThat(m.stats().rejected(RejectReason.TOO_FAR_AHEAD)).isEqualTo(1);
        // Within the window it waits for its parents (asked of the sender), as before.
        Header near = tc.header(3, far - 1, List.of(dev.shoal.sequencer.core.types.Digest.sha256(new byte[] {7})), 5);
        assertThat(m.step(new HeaderReceived(near, 3)).toSend()).isNotEmpty();
    }

    private ValidatorStateMachine withoutRecords(int index) {
        return ValidatorStateMachine.createWithoutRecords(tc.committee, index, tc.keys[index], TestCommittee.CONSENSUS,
                TestCommittee.CONFIG, Verifier.DIRECT);
    }

    private static List<Header> headers(Output out) {
        return out.toSend().stream().map(Outbound::message).filter(Message.HeaderMessage.class::isInstance)
                .map(m -> ((Message.HeaderMessage) m).header()).toList();
    }

    /**
     * A validator started without records neither proposes nor votes until it learns how far the
     * committee certified; a brand-new committee (nothing above genesis) then goes on at round 1.
     */
    @Test
    void withoutRecordsNothingIsVotedOrProposedBeforeTheSafeRoundIsKnown() {
        ValidatorStateMachine m = withoutRecords(0);
        assertThat(headers(m.step(new Start(0)))).isEmpty();
        Header h = tc.header(2, 1, tc.genesisDigests(), 5);
        assertThat(votes(m.step(new HeaderReceived(h, 2)))).isZero();
        assertThat(m.stats().abstentions()).isPositive();

        Output learned = m.step(new Event.SafeRoundLearned(0));
        assertThat(headers(learned)).extracting(Header::round).containsExactly(1L);
        assertThat(votes(m.step(new HeaderReceived(h, 2)))).as("the author re-sends its header").isEqualTo(1);
    }

    /**
     * Regression for the equivocation-after-wipe class: with its records gone, a validator whose
     * peers had certified up to round 5 voted and proposed in rounds 1..6 again, rounds its lost
     * records may have used. It now abstains through round 6 and takes part from round 7.
     */
    @Test
    void withoutRecordsNoVoteOrProposalAtOrBelowOneAboveTheLearnedRound() {
        ValidatorStateMachine m = withoutRecords(0);
        m.step(new Start(0));
        List<Certificate> previous = null;
        List<dev.shoal.sequencer.core.types.Digest> parents = tc.genesisDigests();
        for (long r = 1; r <= 5; r++) {
            previous = tc.round(r, List.of(1, 2, 3), parents);
            for (Certificate c : previous) m.step(new CertificateReceived(c, 1));
            parents = TestCommittee.digests(previous);
        }
        Output learned = m.step(new Event.SafeRoundLearned(5));
        assertThat(headers(learned)).as("round 6 may have been ours").isEmpty();
        Header six = tc.header(2, 6, parents, 6);
        assertThat(votes(m.step(new HeaderReceived(six, 2)))).isZero();

        List<Certificate> round6 = tc.round(6, List.of(1, 2, 3), parents);
        Output proposed = Output.EMPTY;
        for (Certificate c : round6) {
            Output o = m.step(new CertificateReceived(c, 1));
            if (!headers(o).isEmpty()) proposed = o;
        }
        assertThat(headers(proposed)).extracting(Header::round).containsExactly(7L);
        Header seven = tc.header(2, 7, TestCommittee.digests(round6), 7);
        assertThat(votes(m.step(new HeaderReceived(seven, 2)))).isEqualTo(1);
    }

    /**
     * Regression (CommitteeCrashIT in CI, a committee started on empty databases): a validator
     * whose safe-round probe answered late abstained through round r, and r's leader was itself,
     * so round r never had the leader's certificate. Its round timer is armed only when it proposes,
     * and it had never proposed: it waited for that certificate for good, and with one more
     * validator crashed the committee stalled. Waiting on a missing leader now arms the timer.
     */
    @Test
    void aValidatorThatAbstainedInItsOwnLeaderRoundAdvancesAfterTheRoundTimeout() {
        ValidatorStateMachine probe = withoutRecords(0);
        long r = 2;
        while (!probe.consensus().isAnchorCandidate(r)) r++;
        int self = probe.consensus().leader(r);
        ValidatorStateMachine m = withoutRecords(self);
        m.step(new Start(0));
        List<Integer> others = new java.util.ArrayList<>(List.of(0, 1, 2, 3));
        others.remove(Integer.valueOf(self));
        List<dev.shoal.sequencer.core.types.Digest> parents = tc.genesisDigests();
        for (long round = 1; round <= r; round++) {
            List<Certificate> certs = tc.round(round, others, parents);
            for (Certificate c : certs) m.step(new CertificateReceived(c, others.get(0)));
            parents = TestCommittee.digests(certs);
        }
        Output learned = m.step(new Event.SafeRoundLearned(r - 1));
        assertThat(headers(learned)).as("round %d's leader (this validator) has no certificate: it waits", r).isEmpty();
        final long round = r;
        assertThat(learned.timers()).as("but not for good: the round timer is armed")
                .anyMatch(t -> t.kind() == TimerKind.ROUND_TIMEOUT && t.round() == round);
        Output timedOut = m.step(new Event.TimerFired(TimerKind.ROUND_TIMEOUT, r));
        assertThat(headers(timedOut)).extracting(Header::round).containsExactly(r + 1);
    }
}
