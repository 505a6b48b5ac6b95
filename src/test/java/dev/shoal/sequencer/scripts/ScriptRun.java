package dev.shoal.sequencer.scripts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One script under {@code scripts/}, started as a user would from a shell: in a session (and so a
 * process group) of its own, which is what a terminal's Ctrl-C signals. Output goes to a log file
 * under {@code target/scripts-it}; the script's descendants are tracked so a test can check that
 * none outlives it.
 */
final class ScriptRun {
    private final String name;
    private final Process process;
    private final Path log;
    /** Handles, not pids: a handle knows its process's start time, so a reused pid is not mistaken for it. */
    private final Set<ProcessHandle> descendants = new java.util.HashSet<>();

    private ScriptRun(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ScriptRun start(String logName, String script, String... args) throws IOException {
        Path log = Path.of("target", "scripts-it", logName + ".log");
        Files.createDirectories(log.getParent());
        List<String> cmd = new ArrayList<>(List.of("setsid", "bash", "scripts/" + script));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // Run against the classes Maven just built: never compile inside the build that runs this test.
        pb.environment().put("TOOLS_NO_BUILD", "1");
        pb.environment().put("BENCH_NO_BUILD", "1");
        return new ScriptRun(script + " " + String.join(" ", args), pb.start(), log);
    }

    /** Waits for the script to end by itself; on timeout kills its process group and returns empty. */
    java.util.OptionalInt awaitExit(Duration bound) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            trackDescendants();
            process.waitFor(100, TimeUnit.MILLISECONDS);
        }
        if (process.isAlive()) {
            signalGroup("KILL");
            for (ProcessHandle p : descendants) p.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            return java.util.OptionalInt.empty();
        }
        return java.util.OptionalInt.of(process.exitValue());
    }

    /** Waits until the output holds {@code text}; false if the script ended or the bound passed first. */
    boolean awaitOutput(String text, Duration bound) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            trackDescendants();
            if (output().contains(text)) return true;
            if (!process.isAlive()) return output().contains(text);
            Thread.sleep(100);
        }
        return false;
    }

    /** What a terminal does on Ctrl-C (INT) or a supervisor on stop (TERM): signal the whole foreground group. */
    void signalGroup(String signal) throws Exception {
        trackDescendants();
        new ProcessBuilder("kill", "-" + signal, "--", "-" + process.pid()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }

    /** Processes the script started (seen while it ran) that still run. */
    List<ProcessHandle> survivors() {
        trackDescendants();
        return descendants.stream().filter(ScriptRun::running).collect(Collectors.toList());
    }

    /** The full command line (ProcessHandle.Info cuts it at 4,096 bytes, shorter than a tool's class path). */
    static String commandLine(ProcessHandle p) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | RuntimeException gone) {
            return "";
        }
    }

    /** Ends the script's group and everything it started, whatever state it is in (test clean-up). */
    void kill() throws Exception {
        if (process.isAlive()) signalGroup("KILL");
        for (ProcessHandle p : descendants) p.destroyForcibly();
    }

    /**
     * Alive and not a zombie: a process that ended after its parent did stays a zombie until
     * PID 1 reaps it, and a container's PID 1 may never do so.
     */
    static boolean running(ProcessHandle p) {
        if (!p.isAlive()) return false;
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** The command and the end of its output, for assertion messages. */
    String describe() throws IOException {
        List<String> lines = output().lines().toList();
        return name + " (log " + log + "), last lines:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    }

    private void trackDescendants() {
        process.descendants().forEach(descendants::add);
    }
}
