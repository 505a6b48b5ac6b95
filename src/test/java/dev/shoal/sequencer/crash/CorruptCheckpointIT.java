package dev.shoal.sequencer.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.sequencer.crash.support.CheckpointRows;
import dev.shoal.sequencer.crash.support.CommitLogWitness;
import dev.shoal.sequencer.crash.support.CrashDatabase;
import dev.shoal.sequencer.crash.support.LoadGenerator;
import dev.shoal.sequencer.crash.support.Ports;
import dev.shoal.sequencer.crash.support.ServiceClient;
import dev.shoal.sequencer.crash.support.ServiceProcess;
import dev.shoal.sequencer.crash.support.Services;
import dev.shoal.sequencer.crash.support.TransactionLedger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Corrupt-checkpoint test (issue 4, item 9) against the packaged service. Once: run the node
 * under some load until a scheduled checkpoint covers the transactions, stop it, keep that
 * checkpoint's bytes. Then each test puts that checkpoint back as the latest one, damages it (or
 * not), restarts the node on the same database and checks what recovery did:
 * <ul>
 *   <li>intact, HYBRID or FROM_CHECKPOINT: the checkpoint is used;</li>
 *   <li>one byte flipped or the frame truncated, HYBRID: the log says why, recovery falls back to
 *       FROM_SCRATCH and the commit log is intact;</li>
 *   <li>the same damage, FROM_CHECKPOINT: the node refuses to start (non-zero exit) and says why.</li>
 * </ul>
 * After every start that succeeds, the commit log is checked as in the crash test (gap-free,
 * every acknowledged transaction exactly once, every commit seen before unchanged) and a new
 * transaction is committed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CorruptCheckpointIT {
    private CrashDatabase db;
    private CheckpointRows checkpoints;
    private ServiceProcess service;
    private ServiceClient client;
    private final TransactionLedger ledger = new TransactionLedger();
    private final CommitLogWitness witness = new CommitLogWitness();
    private CheckpointRows.Row pristine;
    /** Every checkpoint as it was before the tests, newest (pristine) first. */
    private List<CheckpointRows.Row> stored;

    @BeforeAll
    void checkpointUnderLoad() throws Exception {
        db = CrashDatabase.fresh("checkpoint");
        checkpoints = new CheckpointRows(db);
        Path dir = Path.of("target", "crash", "checkpoint").toAbsolutePath();
        service = new ServiceProcess("node", db.endpoint().host() + ":" + db.endpoint().port(), db.name(), db.endpoint().user(),
                dir.resolve("data-" + System.currentTimeMillis()), dir.resolve("logs"), Ports.free());
        client = new ServiceClient(service.baseUrl());
        // Checkpoints often while preparing; none at all during the tests, so the one under test stays the latest.
        service.env("SEQUENCER_CHECKPOINT_EVERY_ROUNDS", "20").env("SEQUENCER_CHECKPOINT_INTERVAL", "1s").start();
        Services.awaitReady(service, client);
        try (LoadGenerator load = new LoadGenerator(client, ledger, "checkpoint", 2, 42, 10, Duration.ofMillis(5),
                Duration.ofSeconds(30)).start()) {
            await("some acknowledged transactions").atMost(Duration.ofSeconds(60)).until(() -> ledger.acknowledged().size() >= 300);
        }
        var acked = ledger.acknowledged();
        AtomicReference<List<JsonNode>> log = new AtomicReference<>();
        await("acknowledged transactions committed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    log.set(client.commitsFrom(1));
                    return CommitLogWitness.containsAll(log.get(), acked);
                });
        long covered = log.get().size();
        await("a checkpoint covering commit " + covered).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> checkpoints.latest().map(r -> r.commitIndex() >= covered).orElse(false));
        // An older one too, for recovery to turn to when the newest is damaged.
        await("two checkpoints").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> checkpoints.all().size() >= 2);
        // Everything a reader sees now is what every later start must show again.
        assertThat(witness.check(client.commitsFrom(1), ledger)).isEmpty();
        service.stop(Duration.ofSeconds(30));
        pristine = checkpoints.latest().orElseThrow();
        stored = checkpoints.all();
        assertThat(pristine.payload().length).as("checkpoint frame size").isGreaterThan(100);
        service.env("SEQUENCER_CHECKPOINT_EVERY_ROUNDS", "0").env("SEQUENCER_CHECKPOINT_INTERVAL", "1h");
        System.out.printf("CorruptCheckpointIT: checkpoint at round %d covers commit %d, %d bytes; %d transactions acknowledged%n",
                pristine.round(), pristine.commitIndex(), pristine.payload().length, acked.size());
    }

    @BeforeEach
    void putPristineCheckpointsBack() {
        service.stop(Duration.ofSeconds(30));
        checkpoints.restore(pristine);
        for (CheckpointRows.Row r : stored) checkpoints.overwrite(r.round(), r.payload());
    }

    /** Damages every stored checkpoint the same way: recovery has no intact one to turn to. */
    private void damageAll(java.util.function.UnaryOperator<byte[]> damage) {
        for (CheckpointRows.Row r : stored) checkpoints.overwrite(r.round(), damage.apply(r.payload()));
    }

    @AfterAll
    void stopService() {
        if (service != null) service.close();
    }

    @Test
    void intactCheckpointIsUsedByHybrid() throws Exception {
        startWith("HYBRID");
        assertRecovery("FROM_CHECKPOINT", "HYBRID");
        assertThat(service.log()).doesNotContain("falling back to FROM_SCRATCH");
        assertCommitLogIntactAndLive("intact-hybrid");
    }

    @Test
    void intactCheckpointIsUsedByFromCheckpoint() throws Exception {
        startWith("FROM_CHECKPOINT");
        assertRecovery("FROM_CHECKPOINT", "FROM_CHECKPOINT");
        assertCommitLogIntactAndLive("intact-from-checkpoint");
    }

    @Test
    void aCorruptNewestCheckpointMakesWayForAnOlderIntactOne() throws Exception {
        assertThat(stored).as("checkpoints kept while preparing").hasSizeGreaterThan(1);
        checkpoints.overwrite(pristine.round(), CheckpointRows.flipByte(pristine.payload()));
        startWith("FROM_CHECKPOINT");
        long older = stored.get(1).round();
        assertThat(service.log()).as("recovery in %s", service.logFile())
                .containsPattern("not using the checkpoint at round " + pristine.round() + " \\(checkpoint at round "
                        + pristine.round() + " is corrupt: [^\\n]*checksum mismatch[^\\n]*\\); trying the older checkpoint at round " + older)
                .contains("Recovery FROM_CHECKPOINT: checkpoint at round " + older + " ")
                .containsPattern("Recovery done: strategy FROM_CHECKPOINT \\(requested FROM_CHECKPOINT\\)");
        statusRecovery().ifPresent(r -> assertThat(r.path("checkpointRound").asLong()).as("status: %s", r).isEqualTo(older));
        assertCommitLogIntactAndLive("older-checkpoint");
    }

    @Test
    void flippedBytesInEveryCheckpointMakeHybridFallBackToFromScratch() throws Exception {
        damageAll(CheckpointRows::flipByte);
        startWith("HYBRID");
        assertFallback("checksum mismatch");
        assertCommitLogIntactAndLive("flipped-hybrid");
    }

    @Test
    void truncatedCheckpointsMakeHybridFallBackToFromScratch() throws Exception {
        damageAll(CheckpointRows::truncate);
        startWith("HYBRID");
        assertFallback("truncated");
        assertCommitLogIntactAndLive("truncated-hybrid");
    }

    @Test
    void flippedBytesInEveryCheckpointMakeFromCheckpointRefuseToStart() {
        damageAll(CheckpointRows::flipByte);
        assertRefusesToStart("checksum mismatch");
    }

    @Test
    void truncatedCheckpointsMakeFromCheckpointRefuseToStart() {
        damageAll(CheckpointRows::truncate);
        assertRefusesToStart("truncated");
    }

    private void startWith(String strategy) {
        service.env("SEQUENCER_RECOVERY_STRATEGY", strategy).start();
        Services.awaitReady(service, client);
    }

    private void assertRecovery(String used, String requested) {
        assertThat(service.log()).as("recovery result in %s", service.logFile())
                .containsPattern("Recovery done: strategy " + used + " \\(requested " + requested + "\\)");
        if (used.equals("FROM_CHECKPOINT")) {
            assertThat(service.log()).contains("Recovery FROM_CHECKPOINT: checkpoint at round " + pristine.round() + " ");
        }
        statusRecovery().ifPresent(r -> {
            assertThat(r.path("strategyUsed").asText()).as("status recovery.strategyUsed: %s", r).isEqualTo(used);
            assertThat(r.path("strategyRequested").asText()).as("status recovery.strategyRequested: %s", r).isEqualTo(requested);
            if (used.equals("FROM_CHECKPOINT")) {
                assertThat(r.path("checkpointRound").asLong()).as("status recovery.checkpointRound: %s", r).isEqualTo(pristine.round());
            }
        });
    }

    private void assertFallback(String why) {
        assertRecovery("FROM_SCRATCH", "HYBRID");
        assertThat(service.log()).as("the reason for the fallback, in %s", service.logFile())
                .contains("Recovery: not using a checkpoint (checkpoint at round " + pristine.round() + " is corrupt")
                .containsPattern("is corrupt: [^\\n]*" + why + "[^\\n]*\\); falling back to FROM_SCRATCH")
                .containsPattern("Recovery done: strategy FROM_SCRATCH \\(requested HYBRID\\)[^\\n]*\\(fallback: [^\\n]*" + why);
        statusRecovery().ifPresent(r -> assertThat(r.path("fallbackReason").asText()).as("status recovery.fallbackReason").contains(why));
    }

    private void assertRefusesToStart(String why) {
        service.env("SEQUENCER_RECOVERY_STRATEGY", "FROM_CHECKPOINT").start();
        OptionalInt exit = service.awaitExit(Services.START_TIMEOUT);
        assertThat(exit).as("the node must stop by itself, log %s", service.logFile()).isPresent();
        assertThat(exit.getAsInt()).as("exit code").isNotZero();
        assertThat(service.log()).as("why it refused, in %s", service.logFile())
                .contains("FROM_CHECKPOINT recovery is impossible: checkpoint at round " + pristine.round() + " is corrupt")
                .containsPattern("FROM_CHECKPOINT recovery is impossible: [^\\n]*" + why)
                .doesNotContain("Node lifecycle: RECOVERING -> READY");
    }

    /**
     * The recovery part of GET /api/v1/status ({@code recovery.strategyUsed}, {@code fallbackReason}...),
     * once the status endpoint reports it (the api branch adds it); the log is checked either way.
     */
    private Optional<JsonNode> statusRecovery() {
        return client.status().map(s -> s.get("recovery")).filter(r -> r != null && r.isObject());
    }

    private void assertCommitLogIntactAndLive(String tag) throws Exception {
        byte[] fresh = ("after-restart/" + tag).getBytes(StandardCharsets.UTF_8);
        String digest = TransactionLedger.digestHex(fresh);
        ledger.sent(digest, fresh);
        ServiceClient.Reply reply = client.submit(List.of(fresh), Duration.ofSeconds(30));
        assertThat(reply.status()).as("POST after restart: %s", reply.body()).isEqualTo(202);
        ledger.acknowledged(digest);
        var acked = ledger.acknowledged();
        AtomicReference<List<JsonNode>> log = new AtomicReference<>();
        await("new transaction committed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            log.set(client.commitsFrom(1));
            return CommitLogWitness.containsAll(log.get(), acked);
        });
        assertThat(witness.check(log.get(), ledger)).as("commit log, service log %s", service.logFile()).isEmpty();
        assertThat(log.get().size()).isGreaterThanOrEqualTo((int) pristine.commitIndex());
    }
}
