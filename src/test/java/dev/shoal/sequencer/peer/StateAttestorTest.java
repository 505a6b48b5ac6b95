package dev.shoal.sequencer.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.checkpoint.CheckpointBody;
import dev.shoal.sequencer.checkpoint.CheckpointCodec;
import dev.shoal.sequencer.checkpoint.CompressionCodec;
import dev.shoal.sequencer.core.consensus.CommittedSubDag;
import dev.shoal.sequencer.core.consensus.Consensus;
import dev.shoal.sequencer.core.consensus.ConsensusConfig;
import dev.shoal.sequencer.core.consensus.ConsensusState;
import dev.shoal.sequencer.core.consensus.Node;
import dev.shoal.sequencer.core.dag.Dag;
import dev.shoal.sequencer.core.dag.DagBuilder;
import dev.shoal.sequencer.core.dag.RandomDag;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.validator.PersistRecord;
import dev.shoal.sequencer.storage.WriteGroupMapper;
import dev.shoal.sequencer.output.WindowSnapshot;
import dev.shoal.sequencer.storage.CommitTransactions;
import dev.shoal.sequencer.storage.memory.InMemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A validator vouches for the state after commit K from its commit log alone: the digest it derives
 * (from genesis, or from a checkpoint at or below K) equals the digest of the state its consensus had
 * right after commit K. Seeded; the seed is in every assertion.
 */
class StateAttestorTest {
    private static final Duration T = Duration.ofSeconds(10);

    @Test
    void theDerivedStateIsTheStateTheConsensusHadAfterEachCommit() {
        for (long seed = 1; seed <= 5; seed++) {
            Committee committee = DagBuilder.committee(4);
            ConsensusConfig config = ConsensusConfig.DEFAULT.withGcDepth(5).withReputationUpdatePeriod(2);
            Node node = new Node(committee, config);
            Dag dag = node.dag;
            Consensus consensus = node.consensus;
            InMemoryStore store = new InMemoryStore();
            WriteGroupMapper mapper = WriteGroupMapper.fresh(4);
            Map<Long, ConsensusState> observed = new TreeMap<>();
            Map<Long, List<Certificate>> windows = new TreeMap<>();
            for (Certificate c : RandomDag.causalShuffle(RandomDag.generate(committee, 80, 0.9, 0.2, seed), seed)) {
                List<CommittedSubDag> commits = node.deliver(c);
                if (commits.isEmpty()) continue;
                List<PersistRecord> records = new ArrayList<>();
                for (CommittedSubDag s : commits) records.add(new PersistRecord.CommittedSubDagRecord(s));
                store.write(mapper.toWriteGroup(records, Instant.EPOCH)).await().atMost(T);
                // No transactions in this DAG: each commit's row outputs none.
                List<CommitTransactions> rows = new ArrayList<>();
                for (CommittedSubDag sub : commits) rows.add(new CommitTransactions(sub.index(), 0, List.of(), List.of()));
                store.saveCommitTransactions(rows).await().atMost(T);
                observed.put(consensus.lastCommitIndex(), consensus.state());
                List<Certificate> window = new ArrayList<>();
                for (long r = dag.gcRound(); r <= dag.highestRound(); r++) window.addAll(dag.round(r));
                windows.put(consensus.lastCommitIndex(), window);
            }
            assertThat(observed).as("seed %d: the DAG commits", seed).hasSizeGreaterThan(10);
            StateAttestor attestor = new StateAttestor(store, committee.epoch(), 4, config, 64 << 20, 1_000);
            long last = consensus.lastCommitIndex();
            for (var e : observed.entrySet()) {
                assertThat(attestor.digestAt(e.getKey())).as("seed %d: from genesis to commit %d", seed, e.getKey())
                        .contains(vouched(e.getKey(), e.getValue()));
            }
            assertThat(attestor.digestAt(last + 1)).as("seed %d: past our log", seed).isEmpty();

            // With a checkpoint in the middle, the fold starts from it for indexes at or above it.
            long middle = new ArrayList<>(observed.keySet()).get(observed.size() / 2);
            ConsensusState atMiddle = observed.get(middle);
            store.saveCheckpoint(CheckpointCodec.seal(new CheckpointBody(committee.epoch(), atMiddle.lastAnchorRound() + 1, atMiddle,
                    windows.get(middle)), config.gcDepth(), CompressionCodec.byLabel("none"), Instant.now())).await().atMost(T);
            for (var e : observed.entrySet()) {
                assertThat(attestor.digestAt(e.getKey())).as("seed %d: commit %d with a checkpoint at %d", seed, e.getKey(), middle)
                        .isEqualTo(Optional.of(vouched(e.getKey(), e.getValue())));
            }
        }
    }

    /** The state's digest joined with the (empty) transaction window after the commit. */
    private static Digest vouched(long index, ConsensusState state) {
        return new WindowSnapshot(index, 0, List.of()).vouchedDigest(state.digest());
    }
}
