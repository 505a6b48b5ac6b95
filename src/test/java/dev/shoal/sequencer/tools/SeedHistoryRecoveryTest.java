package dev.shoal.sequencer.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.sequencer.config.devdb.DatabaseEndpoint;
import dev.shoal.sequencer.config.devdb.DevDatabaseBootstrap;
import dev.shoal.sequencer.core.consensus.CommittedSubDag;
import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Hex;
import dev.shoal.sequencer.core.validator.PersistRecord;
import dev.shoal.sequencer.core.validator.ValidatorStateMachine;
import dev.shoal.sequencer.core.validator.Verifier;
import dev.shoal.sequencer.storage.WriteGroupMapper;
import dev.shoal.sequencer.node.CommitteeFile;
import dev.shoal.sequencer.recovery.RecoveredNode;
import dev.shoal.sequencer.recovery.Recovery;
import dev.shoal.sequencer.recovery.RecoveryStrategy;
import dev.shoal.sequencer.storage.CommitRecord;
import dev.shoal.sequencer.storage.WriteGroup;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeds a small synthetic history into a real PostgreSQL and checks it is what a validator would
 * have persisted: the committee and key files load, every certificate verifies, an independent
 * replay of the stored certificates derives exactly the stored commit log, and
 * {@code recovery/Recovery} rebuilds the validator from it (FROM_SCRATCH, and HYBRID from the
 * seeded checkpoint). Not a @QuarkusTest: the tools run without Quarkus. Uses its own database
 * ({@code $SHOAL_TEST_DATABASE}_seed), because a running @QuarkusTest node writes to the test
 * database itself.
 */
class SeedHistoryRecoveryTest {
    private static final long SEED = 7;
    private static final int VALIDATORS = 4;
    private static final int SELF = 1;
    private static final long ROUNDS = 150;
    private static final Duration T = Duration.ofMinutes(2);

    @TempDir
    static Path dir;
    static DatabaseEndpoint db;
    static SeedOptions options;
    static SeedHistory.Summary summary;
    static PgRecoveryStore store;

    @BeforeAll
    static void seed() throws Exception {
        String name = System.getenv().getOrDefault("SHOAL_TEST_DATABASE", "shoal_test") + "_seed";
        db = DevDatabaseBootstrap.resolve(DevDatabaseBootstrap.Mode.parse(System.getProperty("sequencer.dev-database.mode")), name, null);
        options = SeedOptions.parse(new String[] {"--jdbc-url", db.jdbcUrl(), "--user", db.user(), "--validators", "" + VALIDATORS,
                "--rounds", "" + ROUNDS, "--out", dir.toString(), "--validator", "" + SELF, "--seed", "" + SEED,
                "--verify-every", "1", "--reset"}).orElseThrow();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        summary = SeedHistory.run(options, new PrintStream(log, true, StandardCharsets.UTF_8));
        System.out.print(log.toString(StandardCharsets.UTF_8));
        store = PgRecoveryStore.open(db.jdbcUrl(), db.user(), null, 4);
    }

    @AfterAll
    static void close() {
        if (store != null) store.close();
    }

    private static Committee committee() {
        return CommitteeFile.read(dir.resolve("committee.json"));
    }

    private static KeyPair key(int i) throws Exception {
        return KeyPair.fromSecret(Hex.decode(Files.readString(dir.resolve("validator-" + i + ".key")).strip()));
    }

    @Test
    void committeeAndKeyFilesDescribeTheSeededCommittee() throws Exception {
        Committee committee = committee();
        assertThat(committee.size()).isEqualTo(VALIDATORS);
        for (int i = 0; i < VALIDATORS; i++) {
            Path f = dir.resolve("validator-" + i + ".key");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
            assertThat(committee.indexOf(key(i).publicKey())).as("validator-%d.key is committee member %d (seed %d)", i, i, SEED).hasValue(i);
        }
        assertThat(CommitteeKeys.generate(VALIDATORS, SEED, 0, 19_000).committee().validators())
                .as("keys are a function of the seed").isEqualTo(committee.validators());
    }

    @Test
    void everyStoredCertificateVerifiesAndTheMetadataCountsTheRows() throws Exception {
        Committee committee = committee();
        List<Certificate> all = allCertificates();
        assertThat(all).hasSize((int) (VALIDATORS * ROUNDS));
        for (Certificate c : all) assertThat(committee.checkCertificate(c)).as("certificate %s (seed %d)", c, SEED).isEmpty();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), null); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("""
                    SELECT total_certificates, total_commits, last_commit_index, total_batches, total_transactions,
                           (SELECT count(*) FROM certificate WHERE committed),
                           (SELECT coalesce(sum(certificate_count), 0) FROM committed_sub_dag),
                           (SELECT count(*) FROM batch WHERE author <> %d),
                           (SELECT count(*) FROM batch WHERE certificate_digest IS NULL),
                           (SELECT count(*) FROM own_header WHERE author <> %d)
                    FROM consensus_metadata""".formatted(SELF, SELF));
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(VALIDATORS * ROUNDS);
            assertThat(rs.getLong(2)).isEqualTo(summary.commits()).isPositive();
            assertThat(rs.getLong(3)).isEqualTo(summary.commits());
            assertThat(rs.getLong(4)).isEqualTo(summary.batches()).isEqualTo(VALIDATORS * 2 * ROUNDS);
            assertThat(rs.getLong(5)).isEqualTo(VALIDATORS * 4 * 2 * ROUNDS);
            assertThat(rs.getLong(6)).as("commit marks agree with the commit log").isEqualTo(rs.getLong(7));
            assertThat(rs.getLong(8)).as("every validator's batches, as the recorded validator received them").isEqualTo((VALIDATORS - 1) * 2 * ROUNDS);
            assertThat(rs.getLong(9)).as("every batch of a certified header is linked").isZero();
            assertThat(rs.getLong(10)).as("only the recorded validator's headers").isZero();
        }
    }

    @Test
    void anIndependentReplayOfTheStoredCertificatesDerivesTheStoredCommitLog() throws Exception {
        Committee committee = committee();
        List<PersistRecord> records = new ArrayList<>();
        for (Certificate c : allCertificates()) records.add(new PersistRecord.CertificateRecord(c));
        ValidatorStateMachine restored = ValidatorStateMachine.restore(committee, SELF, key(SELF), options.consensusConfig(),
                validatorConfig(), Verifier.DIRECT, records);
        // restore() with no commit records keeps every derived commit as "unpublished"; Start emits them.
        List<CommittedSubDag> derived = restored.step(new dev.shoal.sequencer.core.validator.Event.Start(0)).committed();
        WriteGroupMapper mapper = WriteGroupMapper.fresh(VALIDATORS);
        List<PersistRecord> commitRecords = new ArrayList<>();
        for (CommittedSubDag s : derived) commitRecords.add(new PersistRecord.CommittedSubDagRecord(s));
        WriteGroup g = mapper.toWriteGroup(commitRecords, Instant.EPOCH);
        List<CommitRecord> stored = store.commits(1, 1_000_000).await().atMost(T);
        assertThat(stored).hasSize((int) summary.commits());
        assertThat(g.commits()).hasSameSizeAs(stored);
        for (int i = 0; i < stored.size(); i++) {
            assertThat(g.commits().get(i).sameContent(stored.get(i))).as("commit %d equals the replay's (seed %d)", i + 1, SEED).isTrue();
        }
    }

    @Test
    void recoveryFromScratchReproducesTheStoredCommitLog() throws Exception {
        RecoveredNode node = recovery().run(RecoveryStrategy.FROM_SCRATCH);
        assertThat(node.result().used()).isEqualTo(RecoveryStrategy.FROM_SCRATCH);
        assertThat(node.result().certificatesLoaded()).isEqualTo(VALIDATORS * ROUNDS);
        assertThat(node.result().commitsVerified()).isEqualTo(summary.commits());
        assertThat(node.lastStoredCommit()).isEqualTo(summary.commits());
        assertThat(node.core().lastCommitIndex()).isEqualTo(summary.commits());
        assertThat(node.core().round()).isEqualTo(ROUNDS);
        assertThat(node.result().highestRound()).isEqualTo(ROUNDS);
        assertThat(node.unproposedBatches()).isEmpty();
    }

    @Test
    void hybridRecoveryUsesTheSeededCheckpoint() throws Exception {
        RecoveredNode node = recovery().run(RecoveryStrategy.HYBRID);
        assertThat(node.result().used()).isEqualTo(RecoveryStrategy.FROM_CHECKPOINT);
        assertThat(node.result().checkpointRound()).hasValue(ROUNDS);
        assertThat(node.result().fallbackReason()).isEmpty();
        assertThat(node.core().lastCommitIndex()).isEqualTo(summary.commits());
        assertThat(node.core().consensus().state()).isEqualTo(recovery().run(RecoveryStrategy.FROM_SCRATCH).core().consensus().state());
    }

    @Test
    void aScanThroughPgStoreHoldsEachDigestOnce() {
        // Pages read one after another share a parent's digest object with the parent certificate
        // (PgStore.decodePage), so a full replay does not hold a copy of every digest per child.
        // Only a page's first round may miss (when the page before it was still being decoded).
        List<Certificate> all = allCertificates();
        java.util.Map<dev.shoal.sequencer.core.types.Digest, Certificate> byDigest = new java.util.HashMap<>();
        for (Certificate c : all) byDigest.put(c.digest(), c);
        long shared = 0, parents = 0;
        for (Certificate c : all) {
            if (c.round() == 1) continue; // genesis parents are not stored
            for (var p : c.parents()) {
                parents++;
                if (p == byDigest.get(p).digest()) shared++;
            }
        }
        assertThat(parents).isPositive();
        assertThat(shared).as("parent digests shared with their certificates (seed %d)", SEED).isGreaterThanOrEqualTo(parents * 9 / 10);
    }

    @Test
    void badArgumentsAreRefusedWithAReason() {
        assertThatThrownBy(() -> SeedOptions.parse(new String[] {"--validators", "4", "--rounds", "10", "--out", "/tmp/x"}))
                .hasMessageContaining("--jdbc-url is required");
        assertThatThrownBy(() -> SeedOptions.parse(new String[] {"--jdbc-url", "jdbc:postgresql://h/d", "--validators", "4",
                "--rounds", "10", "--out", "/tmp/x", "--validator", "4"})).hasMessageContaining("not in a committee of 4");
        assertThatThrownBy(() -> SeedOptions.parse(new String[] {"--jdbc-url", "jdbc:postgresql://h/d", "--validators", "four"}))
                .hasMessageContaining("--validators must be an integer");
        assertThatThrownBy(() -> SeedOptions.parse(new String[] {"--jdbc-url", "postgres://h/d", "--validators", "4",
                "--rounds", "10", "--out", "/tmp/x"})).hasMessageContaining("jdbc:postgresql:");
    }

    private static Recovery recovery() throws Exception {
        return new Recovery(store, committee(), SELF, key(SELF), options.consensusConfig(), validatorConfig(), 100, 1L << 30);
    }

    private static dev.shoal.sequencer.core.validator.ValidatorConfig validatorConfig() {
        return new HistoryGenerator.Settings(ROUNDS, SELF, options.consensusConfig(), 0, 50, null, 1).validatorConfig();
    }

    private static List<Certificate> allCertificates() {
        List<Certificate> out = new ArrayList<>();
        long round = 0;
        int author = Integer.MAX_VALUE;
        while (true) {
            List<Certificate> page = store.certificatePage(round, author, 97).await().atMost(T);
            if (page.isEmpty()) return out;
            out.addAll(page);
            round = page.get(page.size() - 1).round();
            author = page.get(page.size() - 1).author();
        }
    }
}
