package dev.shoal.sequencer.sim;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Command line of the deterministic simulator (run it through {@code scripts/simulate.sh}).
 * Prints one line per failing seed (the seed, its violations and a short trace), then exactly
 * {@code simulation: <S> seeds, <V> violations}, where V counts violations over all seeds.
 * Exit status: 0 when V is 0, 1 when V > 0, 2 on bad arguments.
 */
public final class SimulatorMain {
    static final String USAGE = """
            usage: simulate.sh --seeds FROM..TO --validators N --byzantine F --crashes K [--wipes W] [--departures D] --rounds R [--threads T]
                               [--max-gst MS] [--max-downtime MS] [--idle-interval MS] [--load-phases BUSY:IDLE]
                               [--delay MS] [--absent K] [--reputation-period N] [--start-without-records] [--stats] [--verbose]
              --seeds FROM..TO   inclusive seed range, e.g. 1..1000 (a single seed: 42)
              --validators N     committee size, equal stakes (default 4)
              --byzantine F      Byzantine validators, 0..(N-1)/3 (default 0)
              --crashes K        crash-and-restart events of honest validators per seed (default 0)
              --wipes W          of those crashes, how many also empty the validator's database: it restarts
                                 with the same key and no records (default 0; at most K)
              --departures D     of those crashes, how many never restart: the committee goes on without
                                 the validator (default 0; with --byzantine and --absent at most f)
              --rounds R         every honest validator must commit an anchor of round >= R (default 20)
              --threads T        seeds run in parallel (default 1; results do not depend on it)
              --max-gst MS       GST drawn from [500, 500+MS) simulated ms (default 2500); crashes happen before it
              --max-downtime MS  a crashed validator restarts after [100, 100+MS) ms (default 1500)
              --idle-interval MS the validators' idle header interval (default 0: no idle pacing)
              --load-phases B:I  batches arrive for B ms, then none for I ms, and again (default: all the time)
              --delay MS         every message takes exactly MS (no loss, stable from the start): --stats then
                                 also reports commit latency in message delays (default: the random model)
              --absent K         honest validators down for the whole run (with --byzantine at most f; default 0)
              --start-without-records  every honest validator starts as on an empty database: without
                                 records, abstaining until its safe-round probe is answered (at a
                                 random time); no --byzantine with it
              --reputation-period N  commits between leader-reputation updates (default 10; 1000000000: the
                                 round-robin schedule never changes, no reputation)
              --stats            print seeds/s, simulated totals, batch commit latencies and committed
                                 anchors per validator on stderr at the end
              --verbose          print a summary line for every seed, not only failing ones
            Prints one line per failing seed, then 'simulation: <S> seeds, <V> violations'.
            Exit status 0 without violations, 1 with violations, 2 on bad arguments.""";

    private SimulatorMain() {}

    /** Parsed command line. */
    record Args(long from, long to, int validators, int byzantine, int crashes, int rounds, int threads, boolean stats, boolean verbose,
                int maxGstMs, int maxDowntimeMs, int wipes, int idleIntervalMs, int busyPhaseMs, int idlePhaseMs,
                int delayMs, int absent, int reputationPeriod, boolean startWithoutRecords, int departures) {}

    public static void main(String[] argv) throws Exception {
        Args args;
        try {
            args = parse(argv);
        } catch (HelpRequested e) {
            System.out.println(USAGE);
            System.exit(0);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("simulate: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        long violations = run(args, System.out, System.err);
        System.exit(violations > 0 ? 1 : 0);
    }

    static final class HelpRequested extends RuntimeException {
        HelpRequested() {
            super("help", null, false, false);
        }
    }

    static Args parse(String[] argv) {
        long from = -1;
        long to = -1;
        int n = 4;
        int f = 0;
        int k = 0;
        int r = 20;
        int threads = 1;
        boolean stats = false;
        boolean verbose = false;
        boolean startWithoutRecords = false;
        int maxGst = 2_500;
        int maxDowntime = 1_500;
        int wipes = 0;
        int departures = 0;
        int idleInterval = 0;
        int busyPhase = 0;
        int idlePhase = 0;
        int delay = 0;
        int absent = 0;
        int reputationPeriod = dev.shoal.sequencer.core.consensus.ConsensusConfig.DEFAULT_REPUTATION_UPDATE_PERIOD;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("--help") || a.equals("-h")) throw new HelpRequested();
            if (a.equals("--verbose")) {
                verbose = true;
                continue;
            }
            if (a.equals("--start-without-records")) {
                startWithoutRecords = true;
                continue;
            }
            if (a.equals("--stats")) {
                stats = true;
                continue;
            }
            if (i + 1 >= argv.length) throw new IllegalArgumentException("option " + a + " needs a value");
            String v = argv[++i];
            switch (a) {
                case "--seeds" -> {
                    int dots = v.indexOf("..");
                    try {
                        if (dots < 0) {
                            from = to = Long.parseLong(v);
                        } else {
                            from = Long.parseLong(v.substring(0, dots));
                            to = Long.parseLong(v.substring(dots + 2));
                        }
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--seeds must be FROM..TO with integers, got '" + v + "'");
                    }
                    if (from < 0 || to < from) throw new IllegalArgumentException("--seeds needs 0 <= FROM <= TO, got '" + v + "'");
                }
                case "--validators" -> n = intArg(a, v, 1, 64);
                case "--byzantine" -> f = intArg(a, v, 0, 21);
                case "--crashes" -> k = intArg(a, v, 0, 1_000);
                case "--wipes" -> wipes = intArg(a, v, 0, 1_000);
                case "--departures" -> departures = intArg(a, v, 0, 1_000);
                case "--rounds" -> r = intArg(a, v, 1, 100_000);
                case "--threads" -> threads = intArg(a, v, 1, 64);
                case "--max-gst" -> maxGst = intArg(a, v, 1, 1_000_000);
                case "--max-downtime" -> maxDowntime = intArg(a, v, 1, 1_000_000);
                case "--idle-interval" -> idleInterval = intArg(a, v, 0, 1_000_000);
                case "--delay" -> delay = intArg(a, v, 1, 100_000);
                case "--absent" -> absent = intArg(a, v, 0, 21);
                case "--reputation-period" -> reputationPeriod = intArg(a, v, 1, Integer.MAX_VALUE);
                case "--load-phases" -> {
                    int colon = v.indexOf(':');
                    if (colon < 0) throw new IllegalArgumentException("--load-phases must be BUSY:IDLE in ms, got '" + v + "'");
                    busyPhase = intArg(a + " BUSY", v.substring(0, colon), 1, 1_000_000);
                    idlePhase = intArg(a + " IDLE", v.substring(colon + 1), 0, 1_000_000);
                }
                default -> throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        if (from < 0) throw new IllegalArgumentException("--seeds FROM..TO is required");
        if (f > (n - 1) / 3) {
            throw new IllegalArgumentException("--byzantine " + f + " exceeds f = (N-1)/3 = " + (n - 1) / 3 + " for N = " + n);
        }
        if (wipes > k) throw new IllegalArgumentException("--wipes " + wipes + " exceeds --crashes " + k + " (a wipe is a crash that loses the records)");
        Args args = new Args(from, to, n, f, k, r, threads, stats, verbose, maxGst, maxDowntime, wipes, idleInterval,
                busyPhase, idlePhase, delay, absent, reputationPeriod, startWithoutRecords, departures);
        config(args, from); // the run's own checks (budget of faults), reported as bad arguments
        return args;
    }

    private static int intArg(String name, String v, int min, int max) {
        int x;
        try {
            x = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + v + "'");
        }
        if (x < min || x > max) throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", got " + x);
        return x;
    }

    /** Runs every seed, prints the report, returns the number of violations. */
    static long run(Args args, PrintStream out, PrintStream err) throws Exception {
        long started = System.nanoTime();
        long seeds = args.to() - args.from() + 1;
        long violations = 0;
        long commits = 0;
        List<Long> latencies = new ArrayList<>();
        List<Long> afterIdle = new ArrayList<>();
        List<Long> proposal = new ArrayList<>();
        List<Long> anchorLatency = new ArrayList<>();
        long[] anchors = new long[args.validators()];
        long[] skips = new long[args.validators()];
        ExecutorService pool = args.threads() > 1 ? Executors.newFixedThreadPool(args.threads()) : null;
        try {
            // Chunks keep memory bounded and the output in seed order whatever the thread count.
            int chunk = Math.max(1, args.threads() * 8);
            for (long s = args.from(); s <= args.to(); s += chunk) {
                List<SimResult> results = new ArrayList<>();
                long end = Math.min(args.to(), s + chunk - 1);
                if (pool == null) {
                    for (long seed = s; seed <= end; seed++) results.add(Simulator.run(config(args, seed)));
                } else {
                    List<Future<SimResult>> futures = new ArrayList<>();
                    for (long seed = s; seed <= end; seed++) {
                        SimSettings c = config(args, seed);
                        futures.add(pool.submit(() -> Simulator.run(c)));
                    }
                    for (Future<SimResult> fu : futures) results.add(fu.get());
                }
                for (SimResult r : results) {
                    commits += r.commits();
                    if (args.stats()) {
                        latencies.addAll(r.latencies());
                        afterIdle.addAll(r.afterIdleLatencies());
                        proposal.addAll(r.proposalLatencies());
                        anchorLatency.addAll(r.anchorLatencies());
                        for (int i = 0; i < anchors.length; i++) {
                            anchors[i] += r.anchors().get(i);
                            skips[i] += r.skips().get(i);
                        }
                    }
                    if (args.verbose()) out.println("seed " + r.seed() + " " + (r.ok() ? "ok" : "FAILED") + " :: " + r.trace());
                    if (!r.ok()) {
                        violations += r.violations().size();
                        out.println("seed " + r.seed() + ": " + String.join(" / ", r.violations()) + " :: " + r.trace());
                    }
                }
            }
        } finally {
            if (pool != null) pool.shutdownNow();
        }
        out.println("simulation: " + seeds + " seeds, " + violations + " violations");
        if (args.stats()) {
            double secs = (System.nanoTime() - started) / 1e9;
            err.printf("n=%d f=%d crashes=%d rounds=%d: %d seeds in %.1f s = %.2f seeds/s (%.1f ms/seed), %d commits on the slowest honest nodes%n",
                    args.validators(), args.byzantine(), args.crashes(), args.rounds(), seeds, secs, seeds / secs,
                    1000 * secs / seeds, commits);
            err.println("batch commit latency (simulated ms), all batches after stabilisation: " + percentiles(latencies));
            if (args.idlePhaseMs() > 0) err.println("  first batch after an idle phase: " + percentiles(afterIdle));
            if (args.delayMs() > 0) {
                err.println("commit latency from proposal, in message delays of " + args.delayMs() + " ms (reputation period "
                        + args.reputationPeriod() + ", " + args.absent() + " absent): certificates " + inDelays(proposal, args.delayMs())
                        + "; anchors " + inDelays(anchorLatency, args.delayMs()));
            }
            err.println("committed anchors by author (longest honest log, summed over seeds): "
                    + java.util.Arrays.toString(anchors) + "; passed-over anchors by leader: " + java.util.Arrays.toString(skips));
        }
        return violations;
    }

    /** Count, mean and p50/p90/p99/max of simulated latencies. */
    static String percentiles(List<Long> values) {
        if (values.isEmpty()) return "none";
        long[] v = values.stream().mapToLong(Long::longValue).sorted().toArray();
        double mean = java.util.Arrays.stream(v).average().orElse(0);
        return String.format("n=%d mean=%.0f p50=%d p90=%d p99=%d max=%d", v.length, mean, v[(int) (v.length * 0.5)],
                v[(int) (v.length * 0.9)], v[(int) Math.min(v.length - 1, v.length * 0.99)], v[v.length - 1]);
    }

    /** Mean, p50 and p99 of simulated latencies in message delays. */
    static String inDelays(List<Long> values, int delayMs) {
        if (values.isEmpty()) return "none";
        long[] v = values.stream().mapToLong(Long::longValue).sorted().toArray();
        double mean = java.util.Arrays.stream(v).average().orElse(0);
        return String.format("n=%d mean=%.2f p50=%.2f p99=%.2f", v.length, mean / delayMs, (double) v[(int) (v.length * 0.5)] / delayMs,
                (double) v[(int) Math.min(v.length - 1, v.length * 0.99)] / delayMs);
    }

    static SimSettings config(Args a, long seed) {
        SimSettings s = SimSettings.of(seed, a.validators(), a.byzantine(), a.crashes(), a.rounds())
                .withTiming(a.maxGstMs(), a.maxDowntimeMs()).withWipes(a.wipes())
                .withIdleInterval(a.idleIntervalMs()).withLoadPhases(a.busyPhaseMs(), a.idlePhaseMs())
                .withAbsent(a.absent()).withReputationPeriod(a.reputationPeriod())
                .withStartWithoutRecords(a.startWithoutRecords()).withDepartures(a.departures());
        return a.delayMs() > 0 ? s.withFixedDelay(a.delayMs()) : s;
    }
}
