package dev.shoal.sequencer.crash.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}, prod profile) as a child
 * process: its own database, data directory, HTTP port and log file. {@link #kill()} is SIGKILL
 * ({@link Process#destroyForcibly()} on Linux): no shutdown hook, no flush, exactly a crash.
 * Every start writes a new log file, {@code <logDir>/<name>-<n>.log}, kept for the post-mortem.
 */
public final class ServiceProcess implements AutoCloseable {
    /** Where {@code ./mvnw package} puts the runnable application. */
    public static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();

    private final String name;
    private final Path dataDir;
    private final Path logDir;
    private final int httpPort;
    private final Map<String, String> env = new LinkedHashMap<>();
    private Process process;
    private Path log;
    private int starts;

    /**
     * @param name    for log file names
     * @param jdbcHostPort where the service reaches PostgreSQL, {@code host:port} (the real server or a proxy)
     * @param database database name
     * @param user    database role (trust authentication)
     */
    public ServiceProcess(String name, String jdbcHostPort, String database, String user, Path dataDir, Path logDir, int httpPort) {
        this.name = name;
        this.dataDir = dataDir;
        this.logDir = logDir;
        this.httpPort = httpPort;
        env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("SEQUENCER_DATA_DIR", dataDir.toString());
        env.put("QUARKUS_DATASOURCE_USERNAME", user);
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://" + jdbcHostPort + "/" + database);
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://" + jdbcHostPort + "/" + database);
        // These tests count on rounds, commits and checkpoints coming without load, as fast as the
        // minimum header interval allows; a test of idle pacing removes this with env(key, null).
        env.put("SEQUENCER_CONSENSUS_IDLE_HEADER_INTERVAL", "50ms");
    }

    /** Sets (or with null removes) an environment variable of the next start, e.g. SEQUENCER_RECOVERY_STRATEGY. */
    public ServiceProcess env(String key, String value) {
        if (value == null) env.remove(key);
        else env.put(key, value);
        return this;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Starts a new process (the previous one must be gone). */
    public ServiceProcess start() {
        if (process != null && process.isAlive()) throw new IllegalStateException(name + " is still running");
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: these tests run the packaged service; run ./mvnw -B verify"
                    + " (or ./mvnw -B package -DskipTests first)");
        }
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(logDir);
            log = logDir.resolve(name + "-" + (++starts) + ".log");
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // Small and quick to start: the machine is shared, and the test restarts it many times.
            cmd.addAll(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            process = pb.start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL, and wait until the process is gone. */
    public void kill() {
        if (process == null) return;
        process.destroyForcibly();
        waitGone(Duration.ofSeconds(30));
    }

    /**
     * SIGTERM (graceful shutdown), then SIGKILL if it has not ended within the timeout. True when
     * it ended by itself (or was not running), false when it took the SIGKILL.
     */
    public boolean stop(Duration timeout) {
        if (process == null || !process.isAlive()) return true;
        process.destroy();
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) return true;
            kill();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            return false;
        }
    }

    /** Waits for the process to end by itself; its exit code, or empty if it still runs after the timeout. */
    public java.util.OptionalInt awaitExit(Duration timeout) {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) return java.util.OptionalInt.of(process.exitValue());
            return java.util.OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.OptionalInt.empty();
        }
    }

    private void waitGone(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " (pid " + process.pid() + ") did not die within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The output of the current (or last) start. */
    public String log() {
        try {
            return log == null || !Files.exists(log) ? "" : Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path logFile() {
        return log;
    }

    /** The last lines of the current log, for failure messages. */
    public String logTail(int lines) {
        String[] all = log().split("\n");
        int from = Math.max(0, all.length - lines);
        return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length));
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) kill();
    }
}
