package dev.shoal.sequencer.scripts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every script under {@code scripts/} ends by itself when done, and on Ctrl-C, leaving no process
 * behind: each benchmark and tool runs here at a small size against the local PostgreSQL and the
 * packaged service, under a bound far above its usual time. (A benchmark whose main returned
 * while a library's non-daemon thread lived on printed its results and then ran forever.)
 */
class ScriptsEndIT {
    private static final Duration BOUND = Duration.ofMinutes(4);
    private static final String PG_HOST = "127.0.0.1";
    private static final String PG_PORT = "5432";

    @BeforeAll
    static void localPostgres() throws Exception {
        // The scripts talk to PostgreSQL with psql on 127.0.0.1:5432, as their usage says.
        Process p = new ProcessBuilder("pg_isready", "-q", "-h", PG_HOST, "-p", PG_PORT).inheritIO().start();
        assumeTrue(p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0,
                "the scripts need a PostgreSQL server and psql at 127.0.0.1:5432 (.ci/run starts one)");
        assertThat(Path.of("target/quarkus-app/quarkus-run.jar")).as("the packaged service (package phase)").exists();
    }

    private static String endsByItself(ScriptRun run, String expectedLine) throws Exception {
        OptionalInt status = run.awaitExit(BOUND);
        assertThat(status).as("%s ended by itself within %s", run.describe(), BOUND).isPresent();
        assertThat(status.getAsInt()).as("exit status of %s", run.describe()).isZero();
        assertThat(run.output()).as(run.describe()).contains(expectedLine);
        assertThat(run.survivors()).as("processes %s left behind", run.describe()).isEmpty();
        return run.output();
    }

    private static void endsOnSignal(ScriptRun run, String signal) throws Exception {
        run.signalGroup(signal);
        OptionalInt status = run.awaitExit(Duration.ofMinutes(1));
        assertThat(status).as("%s ended within a minute of SIG%s", run.describe(), signal).isPresent();
        assertThat(status.getAsInt()).as("exit status after SIG%s: %s", signal, run.describe()).isNotZero();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!run.survivors().isEmpty() && System.nanoTime() < deadline) Thread.sleep(200);
        assertThat(run.survivors()).as("processes %s left behind after SIG%s", run.describe(), signal).isEmpty();
    }

    @Test
    void simulatorEnds() throws Exception {
        endsByItself(ScriptRun.start("simulate", "simulate.sh", "--seeds", "1..2", "--validators", "4", "--byzantine", "1",
                "--crashes", "1", "--rounds", "40", "--threads", "1"), "simulation: 2 seeds, 0 violations");
    }

    @Test
    void committeeKeysEnds() throws Exception {
        Path out = Files.createTempDirectory("scripts-it-keys");
        endsByItself(ScriptRun.start("committee-keys", "committee-keys.sh", "--validators", "4", "--out", out.toString(),
                "--seed", "3", "--force"), "");
        assertThat(out.resolve("committee.json")).exists();
    }

    @Test
    void persistenceBenchEndsAndStopsOnCtrlC() throws Exception {
        String[] small = {"--certificates", "400", "--validators", "4", "--rate", "400", "--latency-seconds", "1"};
        endsByItself(ScriptRun.start("bench-persistence", "bench-persistence.sh", concat(small, "--reps", "1")),
                "persistence durability latency");
        ScriptRun endless = ScriptRun.start("bench-persistence-int", "bench-persistence.sh", concat(small, "--reps", "100000"));
        try {
            assertThat(endless.awaitOutput("run 2", BOUND)).as(endless.describe()).isTrue();
            endsOnSignal(endless, "INT");
        } finally {
            endless.kill();
        }
    }

    @Test
    void recoveryBenchEndsAndStopsItsServiceOnCtrlC() throws Exception {
        String url = "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/shoal_scripts_it_recovery";
        String port = "" + dev.shoal.sequencer.crash.support.Ports.free();
        String out = endsByItself(ScriptRun.start("bench-recovery", "bench-recovery.sh", "--certificates", "400", "--validators", "4",
                "--jdbc-url", url, "--port", port), "recovery HYBRID");
        assertThat(out.lines().filter(l -> l.startsWith("recovery ")).count()).as(out).isEqualTo(6); // 3 strategies x 2 modes

        // Interrupted while the service (a background child, which Ctrl-C does not reach) is starting.
        ScriptRun run = ScriptRun.start("bench-recovery-int", "bench-recovery.sh", "--certificates", "400", "--validators", "4",
                "--jdbc-url", url, "--port", port, "--reuse", "--modes", "service");
        try {
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (run.survivors().stream().noneMatch(ScriptsEndIT::isService) && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(run.survivors().stream().anyMatch(ScriptsEndIT::isService)).as("the service started: %s", run.describe()).isTrue();
            endsOnSignal(run, "INT");
        } finally {
            run.kill();
        }
    }

    @Test
    void e2eBenchEndsAndStopsItsCommitteeOnCtrlC() throws Exception {
        endsByItself(ScriptRun.start("bench-e2e", "bench-e2e.sh", "--validators", "4", "--rates", "400", "--step-seconds", "3",
                "--warmup-seconds", "1", "--modes", "postgresql", "--heap", "256m"), "e2e: ");
        assertThat(validatorsAlive("postgresql")).as("validators left running").isEmpty();
        // Without the overload step (or when no step stayed within the latency bound) there is no
        // overload line to report: the script must still end with its result.
        endsByItself(ScriptRun.start("bench-e2e-no-overload", "bench-e2e.sh", "--validators", "4", "--rates", "400", "--step-seconds", "3",
                "--warmup-seconds", "1", "--modes", "memory", "--memory-heap", "256m", "--overload-factor", "0"), "e2e-result memory");

        ScriptRun run = ScriptRun.start("bench-e2e-int", "bench-e2e.sh", "--validators", "4", "--rates", "400", "--step-seconds", "600",
                "--warmup-seconds", "0", "--modes", "memory", "--memory-heap", "256m");
        try {
            // The validators run in sessions of their own (they outlive a Ctrl-C of local-committee.sh): the bench must stop them.
            long up = System.nanoTime() + BOUND.toNanos();
            while (run.survivors().stream().noneMatch(ScriptsEndIT::isLoadGenerator) && System.nanoTime() < up) Thread.sleep(100);
            assertThat(run.survivors().stream().anyMatch(ScriptsEndIT::isLoadGenerator)).as("the load runs: %s", run.describe()).isTrue();
            assertThat(validatorsAlive("memory")).as("the committee is up").hasSize(4);
            endsOnSignal(run, "INT");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!validatorsAlive("memory").isEmpty() && System.nanoTime() < deadline) Thread.sleep(200);
            assertThat(validatorsAlive("memory")).as("validators left running after Ctrl-C: %s", run.describe()).isEmpty();
        } finally {
            run.kill();
            for (long pid : validatorsAlive("memory")) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void soakEndsWithItsReportAndStopsItsCommitteeOnCtrlC() throws Exception {
        String out = endsByItself(ScriptRun.start("soak", "soak.sh", "--minutes", "1", "--phase-seconds", "15", "--sample-seconds", "5",
                "--heap", "256m"), "soak: samples:");
        assertThat(out).contains("growth check").contains("rejoin");
        assertThat(soakValidatorsAlive()).as("validators left running").isEmpty();
        // A busy phase's load is one step at the soak's rate, nothing more (no overload step at twice it).
        assertThat(Files.readString(Path.of("target/soak/load-2.txt"))).contains("step phase-2").doesNotContain("overload");

        ScriptRun run = ScriptRun.start("soak-int", "soak.sh", "--minutes", "10", "--heap", "256m");
        try {
            assertThat(run.awaitOutput("phase 1/", BOUND)).as("the soak started its phases: %s", run.describe()).isTrue();
            assertThat(soakValidatorsAlive()).as("the committee is up").hasSize(4);
            endsOnSignal(run, "INT");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!soakValidatorsAlive().isEmpty() && System.nanoTime() < deadline) Thread.sleep(200);
            assertThat(soakValidatorsAlive()).as("validators left running after Ctrl-C: %s", run.describe()).isEmpty();
        } finally {
            run.kill();
            for (long pid : soakValidatorsAlive()) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void jmhBenchEnds() throws Exception {
        endsByItself(ScriptRun.start("bench-jmh", "bench.sh", "Ed25519Benchmark.jdkSign", "-f", "0", "-wi", "0", "-i", "1", "-r", "200ms"),
                "Ed25519Benchmark.jdkSign");
    }

    private static boolean isLoadGenerator(ProcessHandle p) {
        return ScriptRun.commandLine(p).contains("E2eBenchMain");
    }

    private static boolean isService(ProcessHandle p) {
        return ScriptRun.commandLine(p).contains("quarkus-run.jar");
    }

    private static List<Long> validatorsAlive(String mode) throws Exception {
        return alive(Path.of("target/bench-e2e", mode));
    }

    private static List<Long> soakValidatorsAlive() throws Exception {
        return alive(Path.of("target/soak"));
    }

    private static List<Long> alive(Path committee) throws Exception {
        List<Long> alive = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Path pidFile = committee.resolve("v" + i).resolve("pid");
            if (!Files.exists(pidFile)) continue;
            String text = Files.readString(pidFile).strip();
            if (text.isEmpty()) continue;
            long pid = Long.parseLong(text);
            if (ProcessHandle.of(pid).map(ScriptRun::running).orElse(false)) alive.add(pid);
        }
        return alive;
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
