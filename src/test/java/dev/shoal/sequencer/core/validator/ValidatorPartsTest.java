package dev.shoal.sequencer.core.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.sequencer.core.consensus.Consensus;
import dev.shoal.sequencer.core.dag.Dag;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.validator.PersistRecord.CertificateRecord;
import dev.shoal.sequencer.core.validator.PersistRecord.OwnHeaderRecord;
import dev.shoal.sequencer.core.validator.PersistRecord.VoteRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The small state classes behind {@link ValidatorStateMachine}, on their own. */
class ValidatorPartsTest {
    private final TestCommittee tc = new TestCommittee(4, 11);

    private static Digest d(String s) {
        return Digest.sha256(s.getBytes());
    }

    @Test
    void pendingBatchesAreFifoOnceEachAndRequeuedBatchesGoFirstInTheirOrder() {
        PendingBatches q = new PendingBatches();
        q.add(List.of(d("a"), d("b"), d("a")));
        q.requeueFront(List.of(d("x"), d("b"), d("y")));
        List<Digest> drained = new ArrayList<>();
        while (!q.isEmpty()) drained.add(q.poll());
        assertThat(drained).containsExactly(d("x"), d("y"), d("a"), d("b"));
        q.add(List.of(d("a")));
        assertThat(q.size()).as("a polled batch may be queued again").isEqualTo(1);
    }

    @Test
    void abstentionLearnsTheSafeRoundOnce() {
        Abstention a = new Abstention();
        assertThat(a.abstainsIn(0)).isFalse();
        a.untilSafeRoundLearned(4);
        assertThat(a.abstainsIn(Long.MAX_VALUE - 1)).isTrue();
        assertThat(a.learn(5)).isTrue();
        assertThat(a.abstainsIn(6)).as("one round above the highest certified").isTrue();
        assertThat(a.abstainsIn(7)).isFalse();
        assertThat(a.learn(50)).as("later answers change nothing").isFalse();
        assertThat(a.abstainsIn(7)).isFalse();

        Abstention genesisOnly = new Abstention();
        genesisOnly.untilSafeRoundLearned(4);
        genesisOnly.learn(0);
        assertThat(genesisOnly.abstainsIn(1)).isFalse();

        Abstention alone = new Abstention();
        alone.untilSafeRoundLearned(1);
        assertThat(alone.abstainsIn(1)).as("a committee of one has nobody to vote for").isFalse();
    }

    @Test
    void ownHeadersKeepTheLatestHeaderWhenPrunedAndRefuseAConflictingRestore() {
        OwnHeaders own = new OwnHeaders(new Dag(tc.committee, 20));
        assertThat(own.round()).isZero();
        Header h1 = tc.header(0, 1, tc.genesisDigests(), 1);
        Header h2 = tc.header(0, 2, List.of(), 2);
        own.add(h1);
        own.add(h2);
        own.markCertified(1);
        assertThat(own.certified(h1)).isTrue();
        assertThat(own.certified(h2)).isFalse();

        own.pruneBelow(10);
        assertThat(own.round()).as("the latest header is the one a restart re-sends").isEqualTo(2);
        assertThat(own.get(1)).isNull();
        assertThat(own.get(2)).isEqualTo(h2);

        own.restore(h2);
        assertThatThrownBy(() -> own.restore(tc.header(0, 2, List.of(), 99)))
                .isInstanceOf(IllegalStateException.class).hasMessage("two own headers persisted for round 2");
    }

    @Test
    void headerVoterVotesOnceSendsTheSameVoteAgainAndRefusesASecondHeaderOfTheSlot() {
        ValidatorStats stats = new ValidatorStats();
        Dag dag = new Dag(tc.committee, 20);
        HeaderVoter voter = new HeaderVoter(tc.committee, 0, tc.keys[0], TestCommittee.CONFIG, dag,
                stats, new OwnVoteSignatures(tc.keys[0].publicKey(), 16), new Abstention(),
                new UnorderedWork(dag, new Consensus(tc.committee, dag, TestCommittee.CONSENSUS)));
        Header h = tc.header(1, 1, tc.genesisDigests(), 1);

        OutputBuilder first = new OutputBuilder();
        voter.onHeader(h, 1, first);
        Output voted = first.build();
        assertThat(voted.toPersist()).containsExactly(new VoteRecord(1, 1, h.digest()));
        assertThat(voted.toSend()).hasSize(1);

        OutputBuilder again = new OutputBuilder();
        voter.onHeader(h, 1, again);
        Output resent = again.build();
        assertThat(resent.toPersist()).as("nothing new to persist").isEmpty();
        assertThat(resent.toSend()).isEqualTo(voted.toSend());

        OutputBuilder other = new OutputBuilder();
        voter.onHeader(tc.header(1, 1, tc.genesisDigests(), 2), 1, other);
        assertThat(other.build().isEmpty()).isTrue();
        assertThat(stats.rejected(RejectReason.EQUIVOCATION)).isEqualTo(1);
        assertThat(stats.votesSent()).isEqualTo(1);

        assertThatThrownBy(() -> voter.restoreVote(new VoteRecord(1, 1, d("another"))))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("two different votes persisted for ");
    }

    @Test
    void checkpointRecordsPutTheWindowInRoundOrderBeforeLaterCertificates() {
        List<Certificate> r1 = tc.round(1, List.of(2, 0, 1), tc.genesisDigests());
        Certificate later = tc.round(2, List.of(3), TestCommittee.digests(r1)).get(0);
        OwnHeaderRecord ownHeader = new OwnHeaderRecord(tc.header(0, 2, TestCommittee.digests(r1), 2));
        List<PersistRecord> records = Replay.checkpointRecords(List.of(r1.get(0), r1.get(2), r1.get(1)),
                List.of(new CertificateRecord(later), ownHeader));
        assertThat(records).containsExactly(ownHeader, new CertificateRecord(r1.get(1)), new CertificateRecord(r1.get(2)),
                new CertificateRecord(r1.get(0)), new CertificateRecord(later));
    }
}
