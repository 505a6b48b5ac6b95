package dev.shoal.sequencer.core.validator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.core.consensus.ConsensusState;
import dev.shoal.sequencer.core.dag.Dag;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A validator restored from a checkpoint (consensus state + DAG window) plus the records persisted
 * after it behaves exactly like the validator that never stopped.
 */
class CheckpointRestoreTest {
    private static final ValidatorConfig PACED = new ValidatorConfig(1_000, 500, 4, 100, 64, 50);

    /** Certificates at or above the DAG's GC round: what a checkpoint stores. */
    static List<Certificate> window(Dag dag) {
        List<Certificate> out = new ArrayList<>();
        for (long r = dag.gcRound(); r <= dag.highestRound(); r++) out.addAll(dag.round(r));
        return out;
    }

    @Test
    void restoredFromCheckpointBehavesLikeTheOriginal() {
        long seed = 42;
        TestCommittee tc = new TestCommittee(1, seed);
        ValidatorStateMachine original = ValidatorStateMachine.create(tc.committee, 0, tc.keys[0],
                TestCommittee.CONSENSUS, PACED, Verifier.DIRECT);
        Random random = new Random(seed);
        List<PersistRecord> all = new ArrayList<>();
        long now = 1_000;
        all.addAll(original.step(new Event.Start(now)).toPersist());
        int checkpointAt = 150;
        ConsensusState state = null;
        List<Certificate> window = null;
        List<PersistRecord> after = new ArrayList<>();
        List<Event> tail = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            now += 10 + random.nextInt(60);
            Event e = random.nextInt(5) == 0
                    ? new Event.BatchReady(List.of(Digest.sha256(("b" + i).getBytes())))
                    : new Event.Tick(now);
            if (i < checkpointAt) {
                all.addAll(original.step(e).toPersist());
            } else {
                if (i == checkpointAt) {
                    state = original.consensus().state();
                    window = window(original.dag());
                    // safety records (own headers and votes) are kept in their own tables, always restored
                    for (PersistRecord r : all) {
                        if (r instanceof PersistRecord.OwnHeaderRecord || r instanceof PersistRecord.VoteRecord) after.add(r);
                    }
                    // a late certificate of a round the checkpoint already covers is replayed too
                }
                tail.add(e);
            }
        }
        assertThat(state.lastCommitIndex()).isGreaterThan(50);
        assertThat(window).isNotEmpty();

        ValidatorStateMachine restored = ValidatorStateMachine.restoreFromCheckpoint(tc.committee, 0, tc.keys[0],
                TestCommittee.CONSENSUS, PACED, Verifier.DIRECT, state, window, after);
        assertThat(restored.lastCommitIndex()).isEqualTo(state.lastCommitIndex());
        assertThat(restored.round()).isEqualTo(original.round());
        for (Event e : tail) {
            Output a = original.step(e);
            Output b = restored.step(e);
            assertThat(b.toPersist()).as("seed %d, event %s", seed, e).isEqualTo(a.toPersist());
            assertThat(b.committed()).isEqualTo(a.committed());
            assertThat(b.toSend()).isEqualTo(a.toSend());
        }
        assertThat(restored.consensus().state()).isEqualTo(original.consensus().state());
    }
}
