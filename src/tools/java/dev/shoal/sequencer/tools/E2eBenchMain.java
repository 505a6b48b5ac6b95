package dev.shoal.sequencer.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.sequencer.core.types.Hex;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * End-to-end load of a running committee (issue 5 item 8; driven by scripts/bench-e2e.sh).
 * Offers transactions of a fixed size to every validator in turn at a stepped rate, follows the
 * commit stream (SSE) of the first validator, and reports per step the ordered transactions per
 * second (our transactions whose commit time, as that validator records it, falls in the measured
 * two thirds of the step), the submit-to-commit latency of those (p50, p99 from
 * the moment the POST was sent to the first validator's committedAt of the commit holding it), what
 * the validators refused, and each validator's CPU and RSS.
 * Stops stepping at saturation: ordered below 80% of offered, more than 5% refused, or p50 above
 * {@code --max-p50-ms}. Then, with {@code --overload-factor F} (default 0: none; scripts/bench-e2e.sh
 * passes 2), one more step
 * offers F times the peak (the best ordered rate) and reports how much of the peak the committee
 * still orders and the latency of what it admitted: a node that admits more than it can order
 * collapses there, one that refuses early holds its peak. The last line is
 * {@code e2e-result <label> <T> tx/s p50 <ms> p99 <ms>}, the best step whose p50 stayed within the bound.
 */
public final class E2eBenchMain {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> urls;
    private final List<Long> pids;
    private final int txBytes;
    private final int txsPerRequest;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(8, daemon("e2e-http"))).build();
    private final Map<String, Long> submittedAt = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    /** Our committed transactions: validator commit time (ms) and submit-to-commit latency (ms), in arrival order. */
    private final java.util.concurrent.ConcurrentLinkedQueue<long[]> committed = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicLong lastCommittedMs = new AtomicLong();
    private final Recorder ackLatency = new Recorder(3);
    private final AtomicLong sequence = new AtomicLong();
    private final String runTag = Long.toHexString(System.nanoTime());
    /** Where each step's "offered ordered p50_ms p99_ms" line goes (for the plot), or null. */
    private Path points;

    private E2eBenchMain(List<String> urls, List<Long> pids, int txBytes, int txsPerRequest) {
        this.urls = urls;
        this.pids = pids;
        this.txBytes = txBytes;
        this.txsPerRequest = txsPerRequest;
    }

    public static void main(String[] args) {
        ToolExit.run("e2e bench", () -> runTool(args));
    }

    private static void runTool(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) usage("bad argument '" + args[i] + "'");
            o.put(args[i].substring(2), args[++i]);
        }
        if (!o.containsKey("urls")) usage("--urls is required");
        List<String> urls = List.of(o.get("urls").split(","));
        List<Long> pids = new ArrayList<>();
        if (o.containsKey("pids")) for (String p : o.get("pids").split(",")) pids.add(Long.parseLong(p.trim()));
        List<Integer> rates = new ArrayList<>();
        for (String r : o.getOrDefault("rates", "1000,2500,5000,10000,20000,30000,40000").split(",")) rates.add(Integer.parseInt(r.trim()));
        int stepSeconds = Integer.parseInt(o.getOrDefault("step-seconds", "15"));
        long maxP50 = Long.parseLong(o.getOrDefault("max-p50-ms", "1000"));
        String label = o.getOrDefault("label", "run");
        var bench = new E2eBenchMain(urls, pids, Integer.parseInt(o.getOrDefault("tx-bytes", "512")),
                Integer.parseInt(o.getOrDefault("txs-per-request", "100")));
        bench.points = o.containsKey("points") ? Path.of(o.get("points")) : null;
        // Off unless asked: scripts/soak.sh runs single steps at a fixed rate and must not get one.
        double overloadFactor = Double.parseDouble(o.getOrDefault("overload-factor", "0"));
        if (!(overloadFactor == 0 || overloadFactor > 1)) usage("--overload-factor must be 0 (no overload step) or above 1");
        bench.run(label, rates, stepSeconds, maxP50, Integer.parseInt(o.getOrDefault("warmup-seconds", "20")), overloadFactor);
    }

    private void run(String label, List<Integer> rates, int stepSeconds, long maxP50, int warmupSeconds, double overloadFactor)
            throws Exception {
        follow(urls.get(0));
        if (warmupSeconds > 0) {
            // JIT, connection pools and the databases' caches: the first step would pay for them otherwise.
            Step w = step(rates.get(0), warmupSeconds);
            System.out.printf("warm-up %s %d s at %d tx/s (not reported): ordered %.0f tx/s, p50 %.0f ms%n", label,
                    warmupSeconds, rates.get(0), w.ordered, w.p50);
        }
        double bestOrdered = 0;
        double bestP50 = 0;
        double bestP99 = 0;
        for (int rate : rates) {
            Step s = step(rate, stepSeconds);
            System.out.printf("step %s offered %d tx/s: accepted %.0f tx/s, ordered %.0f tx/s, refused %.1f%%, p50 %.0f ms, p99 %.0f ms, %s%n",
                    label, rate, s.accepted, s.ordered, 100 * s.refusedShare, s.p50, s.p99, s.resources);
            if (points != null) {
                Files.writeString(points, String.format(java.util.Locale.ROOT, "%d %.0f %.0f %.0f%n", rate, s.ordered, s.p50, s.p99),
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            }
            if (s.p50 <= maxP50 && s.ordered > bestOrdered) {
                bestOrdered = s.ordered;
                bestP50 = s.p50;
                bestP99 = s.p99;
            }
            if (s.ordered < 0.8 * rate || s.refusedShare > 0.05 || s.p50 > maxP50) {
                System.out.printf("step %s: saturated at %d tx/s offered%n", label, rate);
                break;
            }
        }
        if (overloadFactor > 0 && bestOrdered > 0) overload(label, bestOrdered, overloadFactor, stepSeconds);
        System.out.printf("e2e-result %s %.0f tx/s p50 %.0f ms p99 %.0f ms%n", label, bestOrdered, bestP50, bestP99);
    }

    /**
     * Offers {@code factor} times the peak for one step. The committee should order about its peak
     * (issue goal: at least 0.9 of it) and refuse the rest early, with the admitted transactions'
     * latency bounded; a step twice as long as the others, so a backlog building up shows.
     */
    private void overload(String label, double peak, double factor, int stepSeconds) throws Exception {
        int rate = (int) Math.round(peak * factor);
        Step s = step(rate, 2 * stepSeconds);
        System.out.printf("overload %s offered %d tx/s (%.1fx the peak %.0f): ordered %.0f tx/s (%.2f of the peak), accepted %.0f tx/s,"
                        + " refused %.1f%%, p50 %.0f ms, p99 %.0f ms, %s%n",
                label, rate, factor, peak, s.ordered, s.ordered / peak, s.accepted, 100 * s.refusedShare, s.p50, s.p99, s.resources);
    }

    private record Step(double accepted, double ordered, double refusedShare, double p50, double p99, String resources) {}

    /** Offers {@code rate} tx/s for the step (after a warm-up third), measuring the last two thirds. */
    private Step step(int rate, int seconds) throws Exception {
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(daemon("e2e-offer"));
        Semaphore inFlight = new Semaphore(256);
        double requestsPerSecond = (double) rate / txsPerRequest;
        long periodNanos = (long) (1e9 / requestsPerSecond);
        AtomicLong turn = new AtomicLong();
        clock.scheduleAtFixedRate(() -> {
            if (!inFlight.tryAcquire()) {
                refused.addAndGet(txsPerRequest); // the committee cannot keep up: counted as refused offered load
                return;
            }
            submit(urls.get((int) (turn.getAndIncrement() % urls.size()))).whenComplete((r, e) -> inFlight.release());
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        Thread.sleep(seconds * 1000L / 3);
        ackLatency.getIntervalHistogram(); // drop the first third
        long a0 = accepted.get(), r0 = refused.get();
        long[] cpu0 = cpuTicks();
        long self0 = ticksOf(Path.of("/proc/self/stat"));
        Map<Long, Long> pg0 = postgresTicks();
        long idle0 = idleWaits();
        long t0 = System.nanoTime();
        long w0 = System.currentTimeMillis();
        Thread.sleep(seconds * 1000L * 2 / 3);
        long w1 = System.currentTimeMillis();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long[] cpu1 = cpuTicks();
        long self1 = ticksOf(Path.of("/proc/self/stat"));
        Map<Long, Long> pg1 = postgresTicks();
        long idle1 = idleWaits();
        var ack = ackLatency.getIntervalHistogram();
        long a1 = accepted.get(), r1 = refused.get();
        clock.shutdownNow();
        // Ordered rate and latency by the validator's commit time within the window, once the commit
        // stream has delivered everything committed before its end (the reader may lag behind).
        long waitUntil = System.currentTimeMillis() + 30_000;
        while (lastCommittedMs.get() < w1 && System.currentTimeMillis() < waitUntil) Thread.sleep(100);
        org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(3);
        long inWindow = 0;
        for (var it = committed.iterator(); it.hasNext(); ) {
            long[] c = it.next();
            if (c[0] < w1) it.remove();
            if (c[0] >= w0 && c[0] < w1) {
                inWindow++;
                h.recordValue(c[1]);
            }
        }
        StringBuilder res = new StringBuilder();
        if (ack.getTotalCount() > 0) {
            res.append(String.format("durable ack p50 %.0f ms p99 %.0f ms, ", ack.getValueAtPercentile(50) / 1e6,
                    ack.getValueAtPercentile(99) / 1e6));
        }
        if (idle0 >= 0 && idle1 >= 0) res.append("idle waits ").append(idle1 - idle0).append(", ");
        for (int i = 0; i < pids.size(); i++) {
            double cpuPct = cpu0[i] < 0 || cpu1[i] < 0 ? -1 : 100.0 * (cpu1[i] - cpu0[i]) / 100.0 / elapsed;
            res.append(String.format("v%d cpu %.0f%% rss %d MB, ", i, cpuPct, rssMb(pids.get(i))));
        }
        // Where the rest of the machine went: the database and this load tool (it shares the cores).
        res.append(String.format("postgresql cpu %.0f%%, load tool cpu %.0f%% (of one core; %d cores)",
                postgresCpuPercent(pg0, pg1, elapsed), self0 < 0 || self1 < 0 ? -1.0 : (self1 - self0) / elapsed,
                Runtime.getRuntime().availableProcessors()));
        double offered = (a1 - a0) + (r1 - r0);
        return new Step((a1 - a0) / elapsed, inWindow / ((w1 - w0) / 1000.0), offered == 0 ? 0 : (r1 - r0) / offered,
                h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(50),
                h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(99), res.toString());
    }

    private java.util.concurrent.CompletableFuture<Void> submit(String url) {
        StringBuilder body = new StringBuilder("{\"transactions\":[");
        List<String> digests = new ArrayList<>(txsPerRequest);
        Random random = new Random(sequence.get());
        for (int i = 0; i < txsPerRequest; i++) {
            byte[] payload = new byte[txBytes];
            random.nextBytes(payload);
            byte[] id = (runTag + ":" + sequence.incrementAndGet()).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(id, 0, payload, 0, Math.min(id.length, payload.length));
            digests.add(sha256(payload));
            if (i > 0) body.append(',');
            body.append('"').append(Base64.getEncoder().encodeToString(payload)).append('"');
        }
        body.append("]}");
        long now = System.currentTimeMillis();
        for (String d : digests) submittedAt.put(d, now);
        HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/api/v1/transactions")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        long sentNanos = System.nanoTime();
        return http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).handle((r, e) -> {
            if (e == null && r.statusCode() == 202) {
                ackLatency.recordValue(System.nanoTime() - sentNanos);
                accepted.addAndGet(digests.size());
            } else {
                if (e == null && r.statusCode() == 503) refused.addAndGet(digests.size());
                else failed.addAndGet(digests.size());
                for (String d : digests) submittedAt.remove(d);
            }
            return null;
        });
    }

    /**
     * Follows GET /commits/stream from the current end; every commit of one of our transactions is a
     * latency sample: from the wall-clock time the POST was sent to the commit's committedAt (same machine).
     */
    private void follow(String url) throws Exception {
        JsonNode status = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/status")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        long from = status.path("consensus").path("publishedCommitIndex").asLong(0) + 1;
        Thread t = new Thread(() -> {
            try {
                HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/api/v1/commits/stream?payloads=false&from=" + from))
                        .header("Accept", "text/event-stream").build();
                HttpResponse<java.io.InputStream> resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader in = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (!line.startsWith("data:")) continue;
                        JsonNode commit = JSON.readTree(line.substring(5));
                        // The validator's own commit time, not when this reader saw it: a slow reader must not
                        // inflate the latency of ordering.
                        long committedMs = java.time.Instant.parse(commit.path("committedAt").asText()).toEpochMilli();
                        lastCommittedMs.accumulateAndGet(committedMs, Math::max);
                        for (JsonNode tx : commit.path("transactions")) {
                            Long sent = submittedAt.remove(tx.path("digest").asText());
                            if (sent != null) {
                                committed.add(new long[] {committedMs, Math.max(0, committedMs - sent)});
                            }
                        }
                    }
                }
            } catch (Exception e) {
                System.err.println("e2e: the commit stream ended: " + e);
            }
        }, "e2e-commits");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Rounds whose proposal waited for the idle header interval, summed over the validators (-1 when
     * a validator does not say): under load it must not move, or idle pacing costs latency.
     */
    private long idleWaits() {
        long sum = 0;
        for (String url : urls) {
            try {
                String body = http.send(HttpRequest.newBuilder(URI.create(url + "/q/metrics")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                long v = -1;
                for (String line : body.split("\n")) {
                    if (line.startsWith("sequencer_consensus_headers_idle_waits_total")) {
                        v = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    }
                }
                if (v < 0) return -1;
                sum += v;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            } catch (Exception e) {
                return -1;
            }
        }
        return sum;
    }

    /** CPU ticks (utime + stime, 100 a second) of one process from /proc/PID/stat, or -1 when it is gone. */
    private static long ticksOf(Path stat) {
        try {
            String st = Files.readString(stat);
            String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * CPU ticks of every PostgreSQL server process (command name {@code postgres}), summed: the
     * database's share of the machine. Backends that start or end inside a step are counted from
     * when they are first seen, so this errs low when connections churn (the pools here keep theirs).
     */
    private static Map<Long, Long> postgresTicks() {
        Map<Long, Long> out = new HashMap<>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                String name = d.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                try {
                    if (!Files.readString(d.resolve("comm")).trim().equals("postgres")) continue;
                } catch (Exception e) {
                    continue;
                }
                long t = ticksOf(d.resolve("stat"));
                if (t >= 0) out.put(Long.parseLong(name), t);
            }
        } catch (Exception e) {
            // no /proc: reported as unknown
        }
        return out;
    }

    private static double postgresCpuPercent(Map<Long, Long> before, Map<Long, Long> after, double seconds) {
        long ticks = 0;
        for (var e : after.entrySet()) ticks += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        return ticks / seconds; // ticks are 1/100 s: ticks per second is percent of one core
    }

    private long[] cpuTicks() {
        long[] out = new long[pids.size()];
        for (int i = 0; i < pids.size(); i++) out[i] = ticksOf(Path.of("/proc", pids.get(i).toString(), "stat"));
        return out;
    }

    private static long rssMb(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
            }
        } catch (Exception e) {
            // process gone
        }
        return -1;
    }

    private static String sha256(byte[] payload) {
        try {
            return Hex.encode(MessageDigest.getInstance("SHA-256").digest(payload));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static void usage(String problem) {
        System.err.println("e2e bench: " + problem);
        System.err.println("usage: E2eBenchMain --urls http://127.0.0.1:8081,... [--pids p1,...] [--rates 1000,5000,...]"
                + " [--step-seconds 15] [--tx-bytes 512] [--txs-per-request 100] [--max-p50-ms 1000] [--warmup-seconds 20] [--label pg]"
                + " [--points FILE] [--overload-factor 0]");
        System.exit(2);
    }
}
