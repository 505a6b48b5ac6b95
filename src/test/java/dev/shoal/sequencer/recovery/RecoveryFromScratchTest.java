package dev.shoal.sequencer.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.sequencer.core.consensus.ConsensusConfig;
import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.validator.PersistRecord;
import dev.shoal.sequencer.core.validator.ValidatorConfig;
import dev.shoal.sequencer.core.validator.ValidatorStateMachine;
import dev.shoal.sequencer.core.validator.Verifier;
import dev.shoal.sequencer.storage.CommitLogCodec;
import dev.shoal.sequencer.storage.CommitRecord;
import dev.shoal.sequencer.storage.DelegatingStore;
import dev.shoal.sequencer.storage.SequencerStore;
import dev.shoal.sequencer.storage.WriteGroup;
import dev.shoal.sequencer.storage.memory.InMemoryStore;
import dev.shoal.sequencer.tools.CommitteeKeys;
import dev.shoal.sequencer.tools.HistoryGenerator;
import dev.shoal.sequencer.tools.HistorySink;
import dev.shoal.sequencer.tools.SyntheticBatches;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * FROM_SCRATCH recovery streams the certificates into the replay page by page (recovery/ReplayFeed)
 * while the commit log is read beside it. On a generated history (seed {@value #SEED}) in the
 * in-memory store: every page size rebuilds the same validator as a replay of the whole record
 * list, and a failed read or a commit log that names an unknown certificate stop the recovery
 * with that reason.
 */
class RecoveryFromScratchTest {
    private static final long SEED = 23;
    private static final int VALIDATORS = 4;
    private static final int SELF = 2;
    private static final long ROUNDS = 60;
    private static final Duration T = Duration.ofSeconds(30);
    private static final ConsensusConfig CONSENSUS = ConsensusConfig.defaults().withGcDepth(10);

    static CommitteeKeys keys;
    static HistoryGenerator.Settings settings;
    static InMemoryStore store;
    static long commits;

    @BeforeAll
    static void generate() {
        keys = CommitteeKeys.generate(VALIDATORS, SEED, 0, 19_500);
        settings = new HistoryGenerator.Settings(ROUNDS, SELF, CONSENSUS, 1_000, 50, new SyntheticBatches(SEED, 1, 2, 16), 1_000);
        store = new InMemoryStore();
        commits = new HistoryGenerator(keys, settings).run(new HistorySink() {
            @Override
            public void batches(List<Batch> ownBatches) {
                WriteGroup g = new WriteGroup();
                ownBatches.forEach(g::batch);
                store.write(g).await().atMost(T);
            }

            @Override
            public void write(WriteGroup group, Instant at) {
                store.write(group).await().atMost(T);
            }
        }, p -> { }, ROUNDS).commits();
    }

    private static ValidatorConfig validatorConfig() {
        return settings.validatorConfig();
    }

    private static Recovery recovery(SequencerStore s, int pageSize) {
        return new Recovery(s, keys.committee(), SELF, keys.key(SELF), CONSENSUS, validatorConfig(), pageSize, 1L << 30);
    }

    /** The validator rebuilt the way recovery did before it streamed: one list of every record, then one replay. */
    private static ValidatorStateMachine replayOfTheWholeList() {
        List<PersistRecord> records = new ArrayList<>();
        store.ownHeaders(0).await().atMost(T).forEach(h -> records.add(new PersistRecord.OwnHeaderRecord(h)));
        store.votes(0).await().atMost(T).forEach(v -> records.add(new PersistRecord.VoteRecord(v.author(), v.round(), v.headerDigest())));
        java.util.Map<Digest, Certificate> byDigest = new java.util.HashMap<>();
        dev.shoal.sequencer.storage.CertificatePages.forEachFrom(store, 1, 1_000, T, page -> page.forEach(c -> {
            records.add(new PersistRecord.CertificateRecord(c));
            byDigest.put(c.digest(), c);
        }));
        for (CommitRecord r : store.commits(1, Integer.MAX_VALUE).await().atMost(T)) {
            records.add(new PersistRecord.CommittedSubDagRecord(CommitLogCodec.toSubDag(r, byDigest::get)));
        }
        return ValidatorStateMachine.restore(keys.committee(), SELF, keys.key(SELF), CONSENSUS, validatorConfig(), Verifier.DIRECT, records);
    }

    @Test
    void everyPageSizeRebuildsTheValidatorAReplayOfTheWholeRecordListBuilds() {
        assertThat(commits).as("the history commits (seed %d)", SEED).isGreaterThan(ROUNDS / 2);
        ValidatorStateMachine reference = replayOfTheWholeList();
        for (int pageSize : new int[] {1, 3, 4, 7, 100, 10_000}) {
            RecoveredNode node = recovery(store, pageSize).run(RecoveryStrategy.FROM_SCRATCH);
            RecoveryResult r = node.result();
            assertThat(r.used()).isEqualTo(RecoveryStrategy.FROM_SCRATCH);
            assertThat(r.certificatesLoaded()).as("page size %d", pageSize).isEqualTo(VALIDATORS * ROUNDS);
            assertThat(r.highestRound()).isEqualTo(ROUNDS);
            assertThat(r.commitsVerified()).isEqualTo(commits);
            assertThat(node.lastStoredCommit()).isEqualTo(commits);
            assertThat(node.core().lastCommitIndex()).isEqualTo(reference.lastCommitIndex());
            assertThat(node.core().round()).isEqualTo(reference.round());
            assertThat(node.core().consensus().state()).as("page size %d (seed %d)", pageSize, SEED)
                    .isEqualTo(reference.consensus().state());
        }
    }

    @Test
    void aFailedCertificateReadStopsRecoveryWithTheStoresError() {
        AtomicInteger pages = new AtomicInteger();
        SequencerStore failing = new DelegatingStore(store) {
            @Override
            public Uni<List<Certificate>> certificatePage(long afterRound, int afterAuthor, int limit) {
                if (pages.incrementAndGet() == 3) return Uni.createFrom().failure(new IllegalStateException("connection reset"));
                return super.certificatePage(afterRound, afterAuthor, limit);
            }
        };
        assertThatThrownBy(() -> recovery(failing, 8).run(RecoveryStrategy.FROM_SCRATCH))
                .isInstanceOf(IllegalStateException.class).hasMessage("connection reset");
    }

    @Test
    void storedCommitsRebuiltInTwoHalvesComeBackInOrderAndAFailureNamesTheLowestCommit() {
        java.util.Map<Digest, Certificate> byDigest = new java.util.HashMap<>();
        dev.shoal.sequencer.storage.CertificatePages.forEachFrom(store, 1, 1_000, T, page -> page.forEach(c -> byDigest.put(c.digest(), c)));
        List<CommitRecord> log = store.commits(1, Integer.MAX_VALUE).await().atMost(T);
        List<PersistRecord> whole = Recovery.rebuildCommits(log, byDigest, Integer.MAX_VALUE);
        assertThat(Recovery.rebuildCommits(log, byDigest, 2)).isEqualTo(whole);
        assertThat(whole).extracting(r -> ((PersistRecord.CommittedSubDagRecord) r).subDag().index())
                .containsExactlyElementsOf(log.stream().map(CommitRecord::index).toList());

        List<CommitRecord> broken = new ArrayList<>(log);
        int early = 3, late = log.size() - 3;
        for (int i : new int[] {early, late}) {
            CommitRecord r = broken.get(i);
            broken.set(i, new CommitRecord(r.index(), r.anchorDigest(), r.anchorRound(), r.anchorAuthor(), List.of(Digest.ZERO),
                    r.lastCommittedRounds(), r.reputationInputs(), r.outputBatches(), r.committedAt()));
        }
        assertThatThrownBy(() -> Recovery.rebuildCommits(broken, byDigest, 2)).isInstanceOf(RecoveryException.class)
                .hasMessageStartingWith("stored commit " + log.get(early).index() + " cannot be rebuilt");
        broken.set(early, log.get(early));
        assertThatThrownBy(() -> Recovery.rebuildCommits(broken, byDigest, 2)).isInstanceOf(RecoveryException.class)
                .hasMessageStartingWith("stored commit " + log.get(late).index() + " cannot be rebuilt");
    }

    @Test
    void aStoredCommitNamingAnUnknownCertificateStopsRecovery() {
        SequencerStore wrongLog = new DelegatingStore(store) {
            @Override
            public Uni<List<CommitRecord>> commits(long fromIndex, int limit) {
                return super.commits(fromIndex, limit).map(rs -> rs.stream().map(r -> r.index() != 5 ? r
                        : new CommitRecord(r.index(), r.anchorDigest(), r.anchorRound(), r.anchorAuthor(), List.of(Digest.ZERO),
                                r.lastCommittedRounds(), r.reputationInputs(), r.outputBatches(), r.committedAt())).toList());
            }
        };
        assertThatThrownBy(() -> recovery(wrongLog, 16).run(RecoveryStrategy.FROM_SCRATCH))
                .isInstanceOf(RecoveryException.class).hasMessageStartingWith("stored commit 5 cannot be rebuilt");
    }
}
