package dev.shoal.sequencer.core.validator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.core.consensus.ConsensusState;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.validator.Message.HeaderMessage;
import dev.shoal.sequencer.core.validator.PersistRecord.OwnHeaderRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Restoring a validator from exactly what it persisted gives the same future behaviour: a
 * committee of four runs over an in-order network; at the moment validator 0 has just proposed
 * round K, a copy is restored from its persisted records, and from then on both receive the same
 * events and must produce identical outputs (records, messages, commits).
 */
class RestoreReplayTest {
    private record Delivery(int to, Event event) {}

    @ParameterizedTest(name = "cut after proposing round {0}")
    @ValueSource(ints = {2, 3, 5, 9, 30})
    void restoredValidatorBehavesExactlyLikeTheOriginal(int cutRound) {
        run(cutRound, false);
    }

    /**
     * The same from a checkpoint: the consensus state taken five rounds before the cut, and only
     * the records a pruning store keeps (certificates from the checkpoint's GC round on, commit
     * records after its index).
     */
    @ParameterizedTest(name = "checkpoint, cut after proposing round {0}")
    @ValueSource(ints = {9, 30})
    void restoredFromACheckpointBehavesExactlyLikeTheOriginal(int cutRound) {
        run(cutRound, true);
    }

    private void run(int cutRound, boolean fromCheckpoint) {
        TestCommittee tc = new TestCommittee(4, 11);
        int n = 4;
        ValidatorStateMachine[] m = new ValidatorStateMachine[n];
        List<List<PersistRecord>> persisted = new ArrayList<>();
        ArrayDeque<Delivery> network = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            m[i] = tc.machine(i);
            persisted.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) route(i, m[i].step(new Event.Start(0)), persisted, network, n);

        ValidatorStateMachine restored = null;
        ConsensusState checkpoint = null;
        int compared = 0;
        long commitsAfterCut = 0;
        while (!network.isEmpty() && m[0].round() < cutRound + 8) {
            Delivery d = network.poll();
            Output out = m[d.to()].step(d.event());
            if (d.to() == 0 && restored != null) {
                Output copy = restored.step(d.event());
                assertThat(copy.toPersist()).as("records after event " + d.event()).isEqualTo(out.toPersist());
                assertThat(copy.toSend()).as("messages after event " + d.event()).isEqualTo(out.toSend());
                assertThat(copy.committed()).as("commits after event " + d.event()).isEqualTo(out.committed());
                compared++;
                commitsAfterCut += out.committed().size();
            }
            route(d.to(), out, persisted, network, n);
            if (d.to() == 0 && checkpoint == null && m[0].round() >= cutRound - 5) checkpoint = m[0].consensus().state();
            if (d.to() == 0 && restored == null
                    && out.toPersist().stream().anyMatch(r -> r instanceof OwnHeaderRecord oh && oh.header().round() == cutRound)) {
                Header own = ((OwnHeaderRecord) out.toPersist().stream().filter(r -> r instanceof OwnHeaderRecord).findFirst().orElseThrow()).header();
                restored = fromCheckpoint ? restoreFromCheckpoint(tc, checkpoint, persisted.get(0))
                        : tc.restore(0, List.copyOf(persisted.get(0)));
                Output start = restored.step(new Event.Start(0));
                assertThat(start.toPersist()).isEmpty();
                assertThat(start.toSend()).extracting(Outbound::message).contains(new HeaderMessage(own));
                assertThat(restored.round()).isEqualTo(cutRound);
                assertThat(restored.lastCommitIndex()).isEqualTo(m[0].lastCommitIndex());
            }
        }
        assertThat(restored).as("validator 0 reached round " + cutRound).isNotNull();
        assertThat(compared).isGreaterThan(50);
        assertThat(commitsAfterCut).as("commits after the cut").isPositive();
        assertThat(restored.lastCommitIndex()).isEqualTo(m[0].lastCommitIndex());
        assertThat(restored.round()).isEqualTo(m[0].round());
    }

    private static ValidatorStateMachine restoreFromCheckpoint(TestCommittee tc, ConsensusState state, List<PersistRecord> all) {
        long gcRound = state.lastAnchorRound() - TestCommittee.CONSENSUS.gcDepth();
        List<PersistRecord> kept = new ArrayList<>();
        int dropped = 0;
        for (PersistRecord r : all) {
            boolean prune = (r instanceof PersistRecord.CertificateRecord c && c.certificate().round() < gcRound)
                    || (r instanceof PersistRecord.CommittedSubDagRecord cr && cr.subDag().index() <= state.lastCommitIndex());
            if (prune) dropped++;
            else kept.add(r);
        }
        assertThat(dropped).as("records pruned before the checkpoint").isPositive();
        return ValidatorStateMachine.restore(tc.committee, 0, tc.keys[0], TestCommittee.CONSENSUS, TestCommittee.CONFIG,
                Verifier.DIRECT, state, kept);
    }

    private static void route(int from, Output out, List<List<PersistRecord>> persisted, ArrayDeque<Delivery> network, int n) {
        persisted.get(from).addAll(out.toPersist());
        for (Outbound o : out.toSend()) {
            Event e = toEvent(o.message(), from);
            if (o.destination() instanceof Destination.To t) {
                network.add(new Delivery(t.validator(), e));
            } else {
                for (int p = 0; p < n; p++) if (p != from) network.add(new Delivery(p, e));
            }
        }
    }

    private static Event toEvent(Message m, int from) {
        if (m instanceof Message.HeaderMessage h) return new Event.HeaderReceived(h.header(), from);
        if (m instanceof Message.VoteMessage v) return new Event.VoteReceived(v.vote());
        if (m instanceof Message.CertificateMessage c) return new Event.CertificateReceived(c.certificate(), from);
        if (m instanceof Message.CertificateRequest r) return new Event.CertificatesRequested(r.digests(), from);
        throw new IllegalArgumentException(String.valueOf(m));
    }
}
