package dev.shoal.sequencer.tools;

import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Signature;
import dev.shoal.sequencer.storage.WriteGroup;
import dev.shoal.sequencer.storage.pipeline.GroupCommitPipeline;
import dev.shoal.sequencer.storage.pipeline.PipelineFullException;
import dev.shoal.sequencer.storage.pipeline.PipelineListener;
import dev.shoal.sequencer.storage.pipeline.PipelineSettings;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Persistence benchmark ({@code scripts/bench-persistence.sh}). Loads real signed certificates from
 * a seeded source database, then writes them into an empty target database two ways, in the same
 * run and alternately:
 * <ul>
 *   <li><b>raw</b>: the PostgreSQL multi-row insert of the same rows into the same table and columns —
 *   one {@code INSERT ... SELECT * FROM unnest(...)} of {@code --statement-rows} rows per statement
 *   (autocommit, one statement at a time) on the same Vert.x PostgreSQL client;</li>
 *   <li><b>pipeline</b>: one {@link WriteGroup} per certificate (as the consensus loop submits them)
 *   through {@link GroupCommitPipeline} with its default settings into {@code PgStore.write}, as fast
 *   as the pipeline's backpressure lets, timed until the last one is durable.</li>
 * </ul>
 * Then the durability latency (submit to durable) at a fixed offered rate through the pipeline,
 * recorded in an HdrHistogram: p50, p99, p99.9 and max.
 */
public final class PersistenceBenchMain {
    private static final Duration T = Duration.ofMinutes(10);
    private static final long WARM_UP_CERTIFICATES = 40_000;
    private static final String RAW_INSERT = """
            INSERT INTO certificate (digest, epoch, round, author, header, signer_bitmap, signatures)
            SELECT * FROM unnest($1::bytea[], $2::int8[], $3::int8[], $4::int4[], $5::bytea[], $6::bytea[], $7::bytea[])
            ON CONFLICT DO NOTHING""";

    private PersistenceBenchMain() {}

    public static void main(String[] args) {
        ToolExit.run("bench-persistence", () -> runTool(args));
    }

    private static void runTool(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) usage("bad argument '" + args[i] + "'");
            o.put(args[i].substring(2), args[i + 1]);
        }
        if (args.length % 2 != 0) usage("every option takes a value");
        String source = o.get("source-url"), target = o.get("target-url");
        if (source == null || target == null) usage("--source-url and --target-url are required");
        String user = o.getOrDefault("user", "postgres");
        String password = System.getenv("PGPASSWORD");
        int reps = Integer.parseInt(o.getOrDefault("reps", "5"));
        int statementRows = Integer.parseInt(o.getOrDefault("statement-rows", "2000"));
        int rate = Integer.parseInt(o.getOrDefault("rate", "5000"));
        int latencySeconds = Integer.parseInt(o.getOrDefault("latency-seconds", "4"));
        int limit = Integer.parseInt(o.getOrDefault("certificates", "0"));
        timeline = Boolean.parseBoolean(o.getOrDefault("timeline", "false"));

        List<Certificate> certs = load(source, user, password, limit);
        DatabaseSchema.migrate(target, user, password);
        try (Connection jdbc = DriverManager.getConnection(target, user, password);
             PgRecoveryStore store = PgRecoveryStore.open(target, user, password, 4)) {
            System.err.printf("bench-persistence: %d certificates loaded from %s; target %s (%s)%n", certs.size(), source, target, settings(jdbc));
            List<Double> raw = new ArrayList<>(), pipe = new ArrayList<>();
            // The first runs warm up both paths (JIT, prepared statements, the database's caches)
            // and are not reported: whichever path ran cold would otherwise pay for both. They
            // write at least WARM_UP_CERTIFICATES each (in at most 8 runs), so a small
            // --certificates warms up as much as the default. The order alternates so neither
            // path always runs on the other's leftovers.
            int warmUps = (int) Math.min(8, Math.max(1, (WARM_UP_CERTIFICATES + certs.size() - 1) / certs.size()));
            for (int rep = 1 - warmUps; rep <= reps; rep++) {
                boolean rawFirst = Math.floorMod(rep, 2) == 0;
                double r = 0, p = 0;
                CpuMeter.Reading rawCpu = null, pipeCpu = null;
                for (int leg = 0; leg < 2; leg++) {
                    fresh(jdbc);
                    CpuMeter.Reading before = CpuMeter.read();
                    if ((leg == 0) == rawFirst) {
                        r = rawInsert(store, certs, statementRows);
                        rawCpu = CpuMeter.read().since(before);
                    } else {
                        p = pipeline(store, certs);
                        pipeCpu = CpuMeter.read().since(before);
                    }
                    checkRows(jdbc, certs.size());
                }
                System.err.printf("bench-persistence:   raw %s; pipeline %s%n", rawCpu.describe(), pipeCpu.describe());
                if (rep <= 0) {
                    System.err.printf("bench-persistence: warm-up run: raw %.0f certificates/s, pipeline %.0f certificates/s (not reported)%n", r, p);
                    continue;
                }
                raw.add(r);
                pipe.add(p);
                System.err.printf("bench-persistence: run %d (%s first): raw %.0f certificates/s, pipeline %.0f certificates/s (ratio %.2f)%n",
                        rep, rawFirst ? "raw" : "pipeline", r, p, p / r);
            }
            double rawMean = raw.stream().mapToDouble(x -> x).average().orElseThrow();
            double pipeMean = pipe.stream().mapToDouble(x -> x).average().orElseThrow();
            System.out.printf("persistence raw multi-row insert (%d rows/statement): %.0f certificates/s (mean of %d runs)%n", statementRows, rawMean, reps);
            System.out.printf("persistence pipeline (GroupCommitPipeline + PgStore.write): %.0f certificates/s (mean of %d runs)%n", pipeMean, reps);
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < raw.size(); i++) ratios.add(pipe.get(i) / raw.get(i));
            ratios.sort(null);
            System.out.printf("persistence ratio pipeline/raw: %.2f (per run: min %.2f, median %.2f, max %.2f)%n", pipeMean / rawMean,
                    ratios.get(0), ratios.get(ratios.size() / 2), ratios.get(ratios.size() - 1));

            fresh(jdbc);
            latency(store, certs, rate, latencySeconds);
            DatabaseSchema.reset(jdbc);
        }
    }

    /**
     * Empties the target and checkpoints, as pgbench does before a run: the bench's own bulk
     * writes fill the WAL, and a checkpoint they trigger mid-measurement (seen: p99 durability
     * latency 103 ms instead of 7) would be charged to whichever leg it lands in.
     */
    private static void fresh(Connection jdbc) throws Exception {
        DatabaseSchema.reset(jdbc);
        try (Statement s = jdbc.createStatement()) {
            s.execute("CHECKPOINT");
        } catch (java.sql.SQLException e) {
            if (!checkpointRefused) {
                checkpointRefused = true;
                System.err.println("bench-persistence: warning: CHECKPOINT refused (" + e.getMessage().strip()
                        + "); a checkpoint the bench's own writes trigger may land in a measurement");
            }
        }
    }

    private static boolean checkpointRefused;
    /** Print when each statement (raw) or group (pipeline) became durable, in ms from the leg's start. */
    private static boolean timeline;

    private static String settings(Connection c) throws Exception {
        try (Statement s = c.createStatement()) {
            StringBuilder out = new StringBuilder();
            for (String k : List.of("synchronous_commit", "fsync", "wal_sync_method", "shared_buffers")) {
                ResultSet rs = s.executeQuery("SHOW " + k);
                rs.next();
                out.append(out.length() == 0 ? "" : ", ").append(k).append('=').append(rs.getString(1));
            }
            return out.toString();
        }
    }

    private static void checkRows(Connection c, long expected) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM certificate")) {
            rs.next();
            if (rs.getLong(1) != expected) throw new IllegalStateException("expected " + expected + " certificate rows, found " + rs.getLong(1));
        }
    }

    private static List<Certificate> load(String url, String user, String password, int limit) {
        List<Certificate> out = new ArrayList<>();
        try (PgRecoveryStore src = PgRecoveryStore.open(url, user, password, 2)) {
            long round = 0;
            int author = Integer.MAX_VALUE;
            while (limit == 0 || out.size() < limit) {
                List<Certificate> page = src.certificatePage(round, author, 5_000).await().atMost(T);
                if (page.isEmpty()) break;
                out.addAll(page);
                round = page.get(page.size() - 1).round();
                author = page.get(page.size() - 1).author();
            }
        }
        if (limit > 0 && out.size() > limit) return new ArrayList<>(out.subList(0, limit));
        if (out.isEmpty()) throw new IllegalStateException("the source database " + url + " holds no certificates; seed it first");
        return out;
    }

    /** Certificates per second of back-to-back multi-row INSERTs of the same rows PgStore writes. */
    private static double rawInsert(PgRecoveryStore store, List<Certificate> certs, int rows) {
        StringBuilder marks = new StringBuilder();
        long t0 = System.nanoTime();
        for (int from = 0; from < certs.size(); from += rows) {
            List<Certificate> chunk = certs.subList(from, Math.min(certs.size(), from + rows));
            int n = chunk.size();
            Buffer[] digest = new Buffer[n], header = new Buffer[n], bitmap = new Buffer[n], sigs = new Buffer[n];
            Long[] epoch = new Long[n], round = new Long[n];
            Integer[] author = new Integer[n];
            for (int i = 0; i < n; i++) {
                Certificate c = chunk.get(i);
                digest[i] = Buffer.buffer(c.digest().toBytes());
                epoch[i] = c.epoch();
                round[i] = c.round();
                author[i] = c.author();
                header[i] = Buffer.buffer(c.header().toBytes());
                bitmap[i] = Buffer.buffer(c.signers().toBytes());
                Buffer s = Buffer.buffer(64 * c.signatures().size());
                for (Signature sig : c.signatures()) s.appendBytes(sig.toBytes());
                sigs[i] = s;
            }
            store.pool().preparedQuery(RAW_INSERT)
                    .execute(Tuple.tuple(List.of(digest, epoch, round, author, header, bitmap, sigs))).await().atMost(T);
            if (timeline) marks.append(String.format(" %d@%.1f", n, (System.nanoTime() - t0) / 1e6));
        }
        double rate = certs.size() / ((System.nanoTime() - t0) / 1e9);
        if (timeline) System.err.println("bench-persistence:   raw timeline (rows@ms durable):" + marks);
        return rate;
    }

    private static WriteGroup groupOf(Certificate c) {
        return new WriteGroup().certificate(c).currentRound(c.round());
    }

    /** Certificates per second through the group-commit pipeline, one submission per certificate. */
    private static double pipeline(PgRecoveryStore store, List<Certificate> certs) {
        AtomicLong groups = new AtomicLong();
        StringBuffer marks = new StringBuffer();
        long[] start = new long[1];
        PipelineListener listener = new PipelineListener() {
            @Override
            public void flushed(int records, int submissions, long latencyNanos) {
                groups.incrementAndGet();
                if (timeline) marks.append(String.format(" %d@%.1f", records, (System.nanoTime() - start[0]) / 1e6));
            }
        };
        try (GroupCommitPipeline pipeline = new GroupCommitPipeline(store, PipelineSettings.DEFAULT, listener)) {
            List<CompletableFuture<Void>> done = new ArrayList<>(certs.size());
            long t0 = System.nanoTime();
            start[0] = t0;
            for (Certificate c : certs) done.add(submit(pipeline, groupOf(c)));
            if (timeline) marks.append(String.format(" [submitted@%.1f]", (System.nanoTime() - t0) / 1e6));
            // Groups become durable in submission order, so the last submission is the last one
            // durable: wait for it (an allOf over every future would time its own tree of 20,000
            // relays), and only then check that every submission completed.
            done.get(done.size() - 1).join();
            double rate = certs.size() / ((System.nanoTime() - t0) / 1e9);
            for (CompletableFuture<Void> f : done) f.join();
            System.err.printf("bench-persistence:   pipeline wrote %d certificates in %d group commits (%.0f per group)%n",
                    certs.size(), groups.get(), certs.size() / (double) Math.max(1, groups.get()));
            if (timeline) System.err.println("bench-persistence:   pipeline timeline (records@ms durable):" + marks);
            return rate;
        }
    }

    /** Submits, waiting while the pipeline is full (as the driver does). */
    private static CompletableFuture<Void> submit(GroupCommitPipeline pipeline, WriteGroup g) {
        while (true) {
            CompletableFuture<Void> f = pipeline.whenDurable(g);
            if (!f.isCompletedExceptionally()) return f;
            try {
                f.join();
            } catch (CompletionException e) {
                if (!(e.getCause() instanceof PipelineFullException)) throw e;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Durability latency at a fixed offered rate: each certificate is due at t0 + i/rate; latency is due time to durable. */
    private static void latency(PgRecoveryStore store, List<Certificate> certs, int rate, int seconds) {
        int n = Math.min(certs.size(), rate * seconds);
        Histogram h = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        try (GroupCommitPipeline pipeline = new GroupCommitPipeline(store, PipelineSettings.DEFAULT, PipelineListener.NONE)) {
            // Warm-up outside the measurement: the first groups pay for JIT and prepared statements.
            int warm = Math.min(n / 10, 2_000);
            List<CompletableFuture<Void>> done = new ArrayList<>(n);
            for (int i = 0; i < warm; i++) done.add(submit(pipeline, groupOf(certs.get(i))));
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
            done.clear();
            long intervalNanos = 1_000_000_000L / rate;
            long t0 = System.nanoTime();
            int i = warm;
            while (i < n) {
                // Wake once a millisecond and submit every certificate already due (no busy wait: on
                // a small machine a spinning generator takes a core from the database). Latency
                // counts from the due time, so a late wake-up is charged to the result.
                LockSupport.parkNanos(1_000_000);
                long now = System.nanoTime();
                for (; i < n && t0 + (i - warm) * intervalNanos <= now; i++) {
                    long due = t0 + (i - warm) * intervalNanos;
                    CompletableFuture<Void> f = submit(pipeline, groupOf(certs.get(i)));
                    done.add(f.thenRun(() -> {
                        synchronized (h) {
                            h.recordValue(Math.max(0, (System.nanoTime() - due) / 1_000));
                        }
                    }));
                }
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
            double achieved = (n - warm) / ((System.nanoTime() - t0) / 1e9);
            System.out.printf("persistence durability latency at %d certificates/s offered (%.0f achieved, %d certificates):"
                            + " p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n", rate, achieved, n - warm,
                    h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                    h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0);
        }
    }

    private static void usage(String why) {
        System.err.println("bench-persistence: " + why);
        System.err.println("usage: PersistenceBenchMain --source-url JDBC --target-url JDBC [--user U] [--reps K] [--statement-rows R]"
                + " [--rate C] [--latency-seconds S] [--certificates N] [--timeline true]");
        System.exit(2);
    }
}
