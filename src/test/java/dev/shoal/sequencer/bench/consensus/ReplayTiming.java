package dev.shoal.sequencer.bench.consensus;

import dev.shoal.sequencer.core.consensus.ConsensusConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The 100,000-certificate replay of {@link ReplayBenchmark}, timed both by wall clock and by the
 * replaying thread's CPU time, in a fresh JVM: run 1 is the cold replay a recovering node performs,
 * the later runs show the steady state. CPU time excludes JIT-compiler and GC threads and time spent
 * waiting for a core, so it stays meaningful when other processes load the machine (the wall-clock
 * figure then is not).
 *
 * <p>Arguments: runs (10), committee size n (10), certificates (100,000; rounds = certificates / n).
 * Also prints the steady-state ordering throughput in certificates per CPU-second (best run).
 *
 * <pre>java -cp target/test-classes:target/classes:$(cat target/bench-classpath.txt) \
 *     dev.shoal.sequencer.bench.consensus.ReplayTiming [runs] [n] [certificates]</pre>
 */
public final class ReplayTiming {
    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int certificates = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        History history = History.generate(n, certificates / n, 7);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf("replaying %,d certificates (n = %d, %,d rounds), %d runs%n", history.certificates.length, n,
                certificates / n, runs);
        long bestCpu = Long.MAX_VALUE;
        for (int i = 1; i <= runs; i++) {
            long cpu0 = threads.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            long commits = history.replay(ConsensusConfig.DEFAULT);
            long wall = System.nanoTime() - wall0;
            long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            System.out.printf("run %2d: wall %6.1f ms, replay-thread CPU %6.1f ms, %,d commits%n", i, wall / 1e6, cpu / 1e6, commits);
            bestCpu = Math.min(bestCpu, cpu);
        }
        System.out.printf("best run: %,.0f certificates per CPU-second%n", history.certificates.length / (bestCpu / 1e9));
    }

    private ReplayTiming() {}
}
