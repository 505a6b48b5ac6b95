package dev.shoal.sequencer.tools;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time spent by this JVM and by every PostgreSQL process on the machine (backends, WAL writer,
 * checkpointer), read from /proc: on a small machine a benchmark's client and the database share
 * the cores, so wall time alone cannot say which side a difference comes from. Zero for PostgreSQL
 * where /proc is not readable (another OS, or another machine's database).
 */
final class CpuMeter {
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    /** A reading: CPU nanoseconds of this JVM and of PostgreSQL so far. */
    record Reading(long jvmNanos, long postgresNanos) {
        Reading since(Reading earlier) {
            return new Reading(jvmNanos - earlier.jvmNanos, postgresNanos - earlier.postgresNanos);
        }

        String describe() {
            return String.format("CPU: client %d ms, PostgreSQL %d ms", jvmNanos / 1_000_000, postgresNanos / 1_000_000);
        }
    }

    private CpuMeter() {}

    static Reading read() {
        long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        return new Reading(jvm, postgresNanos());
    }

    private static long postgresNanos() {
        long ticks = 0;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : procs) {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    if (!stat.substring(stat.indexOf('(') + 1, close).startsWith("postgres")) continue;
                    String[] f = stat.substring(close + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
                } catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException noProc) {
            return 0;
        }
        return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    }
}
