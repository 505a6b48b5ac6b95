package dev.shoal.sequencer.tools;

import dev.shoal.sequencer.core.codec.CanonicalReader;
import dev.shoal.sequencer.core.codec.CodecLimits;
import dev.shoal.sequencer.core.consensus.ConsensusConfig;
import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.dag.Dag;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.types.Hex;
import dev.shoal.sequencer.core.types.Signature;
import dev.shoal.sequencer.core.types.SignerBitmap;
import dev.shoal.sequencer.core.validator.PersistRecord;
import dev.shoal.sequencer.core.validator.ValidatorConfig;
import dev.shoal.sequencer.core.validator.ValidatorStateMachine;
import dev.shoal.sequencer.core.validator.Verifier;
import dev.shoal.sequencer.storage.CommitLogCodec;
import dev.shoal.sequencer.node.CommitteeFile;
import dev.shoal.sequencer.recovery.RecoveredNode;
import dev.shoal.sequencer.recovery.Recovery;
import dev.shoal.sequencer.recovery.RecoveryStrategy;
import dev.shoal.sequencer.storage.CommitRecord;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * In-process recovery benchmark ({@code scripts/bench-recovery.sh}): runs {@code recovery/Recovery}
 * for each strategy against a seeded database through {@link PgRecoveryStore} (PgStore's own raw
 * client code for the certificate pages) and prints {@code recovery <STRATEGY> <N> certificates
 * <ms> ms (in-process)}. With {@code --profile}, splits a FROM_SCRATCH recovery into database
 * reads, decoding, DAG insertion and the consensus replay.
 *
 * <pre>
 * RecoveryBenchMain --jdbc-url URL --seed-dir DIR [--user U] [--validator I] [--strategies A,B] [--warmup K] [--profile]
 * </pre>
 */
public final class RecoveryBenchMain {
    private static final Duration T = Duration.ofMinutes(30);

    private RecoveryBenchMain() {}

    public static void main(String[] args) {
        ToolExit.run("bench-recovery", () -> runTool(args));
    }

    private static void runTool(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String k = args[i];
            if (k.equals("--profile")) { o.put("profile", "true"); continue; }
            if (!k.startsWith("--") || i + 1 >= args.length) usage("bad argument '" + k + "'");
            o.put(k.substring(2), args[++i]);
        }
        String url = o.get("jdbc-url");
        String dir = o.get("seed-dir");
        if (url == null || dir == null) usage("--jdbc-url and --seed-dir are required");
        String user = o.getOrDefault("user", "postgres");
        int self = Integer.parseInt(o.getOrDefault("validator", "0"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "1"));
        int pageSize = Integer.parseInt(o.getOrDefault("page-size", "5000"));
        ConsensusConfig cc = ConsensusConfig.defaults().withGcDepth(Long.parseLong(o.getOrDefault("gc-depth", "50")))
                .withReputationUpdatePeriod(Integer.parseInt(o.getOrDefault("reputation-period", "10")));
        // The service's defaults (SequencerConfig.Consensus); replay does not depend on them.
        ValidatorConfig vc = new ValidatorConfig(1_000, 500, 100, 1_000, 256, 50);
        Committee committee = CommitteeFile.read(Path.of(dir, "committee.json"));
        KeyPair key = KeyPair.fromSecret(Hex.decode(Files.readString(Path.of(dir, "validator-" + self + ".key")).strip()));
        List<RecoveryStrategy> strategies = new ArrayList<>();
        for (String s : o.getOrDefault("strategies", "FROM_SCRATCH,FROM_CHECKPOINT,HYBRID").split(",")) strategies.add(RecoveryStrategy.parse(s));

        try (PgRecoveryStore pg = PgRecoveryStore.open(url, user, System.getenv("PGPASSWORD"), 4)) {
            TimedStore store = new TimedStore(pg);
            long n = pg.certificateCount().await().atMost(T);
            Recovery recovery = new Recovery(store, committee, self, key, cc, vc, pageSize, 1L << 30);
            for (int w = 0; w < warmup; w++) {
                long t0 = System.nanoTime();
                recovery.run(RecoveryStrategy.FROM_SCRATCH);
                System.err.printf("bench-recovery: warm-up FROM_SCRATCH run %d: %d ms (not reported)%n", w + 1, (System.nanoTime() - t0) / 1_000_000);
            }
            for (RecoveryStrategy s : strategies) {
                System.gc();
                store.reset();
                long t0 = System.nanoTime();
                long cpu0 = processCpuNanos();
                RecoveredNode node = recovery.run(s);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                long cpuMs = (processCpuNanos() - cpu0) / 1_000_000;
                System.out.printf("recovery %s %d certificates %d ms (in-process; %d ms CPU, load average %s)%n", s, n, ms, cpuMs, loadAverage());
                var r = node.result();
                // Reads overlap each other and the replay (pages are read ahead), so their times are
                // from request to answer and do not add up to the wall time; Recovery logs its steps.
                System.err.printf("bench-recovery:   %s used %s%s: %d certificates replayed, %d commits verified, highest round %d;"
                                + " store reads, request to answer: certificate pages %d ms, commit log %d ms, checkpoint %d ms%n",
                        s, r.used(), r.checkpointRound().map(x -> " (checkpoint round " + x + ")").orElse(""), r.certificatesLoaded(),
                        r.commitsVerified(), r.highestRound(), store.nanos("certificatePage") / 1_000_000,
                        store.nanos("commits") / 1_000_000, store.nanos("latestCheckpoint") / 1_000_000);
            }
            if (o.containsKey("profile")) profile(pg, committee, self, key, cc, vc, pageSize);
        }
    }

    /** FROM_SCRATCH taken apart: raw page reads, decoding, DAG insertion alone, the full core replay. */
    private static void profile(PgRecoveryStore pg, Committee committee, int self, KeyPair key, ConsensusConfig cc,
                                ValidatorConfig vc, int pageSize) {
        System.gc();
        long t0 = System.nanoTime();
        List<byte[][]> raw = new ArrayList<>();
        long round = 0;
        int author = Integer.MAX_VALUE;
        while (true) {
            var rows = pg.pool().preparedQuery("""
                            SELECT header, signer_bitmap, signatures, round, author FROM certificate
                            WHERE (round, author) > ($1, $2) ORDER BY round, author LIMIT $3""")
                    .execute(Tuple.of(round, author, pageSize)).await().atMost(T);
            if (rows.size() == 0) break;
            for (Row r : rows) {
                raw.add(new byte[][] {r.getBuffer(0).getBytes(), r.getBuffer(1).getBytes(), r.getBuffer(2).getBytes()});
                round = r.getLong(3);
                author = r.getInteger(4);
            }
        }
        long readNs = System.nanoTime() - t0;

        t0 = System.nanoTime();
        List<Certificate> certs = new ArrayList<>(raw.size());
        for (byte[][] r : raw) certs.add(decode(r[0], r[1], r[2]));
        long decodeNs = System.nanoTime() - t0;
        raw = null;

        t0 = System.nanoTime();
        Dag dag = new Dag(committee, cc.gcDepth());
        long lastRound = 0;
        for (Certificate c : certs) {
            if (c.round() != lastRound) {
                dag.gc(Math.max(0, c.round() - 2)); // as if every anchor committed at once
                lastRound = c.round();
            }
            dag.insert(c);
        }
        long dagNs = System.nanoTime() - t0;

        t0 = System.nanoTime();
        List<CommitRecord> log = new ArrayList<>();
        long next = 1;
        while (true) {
            List<CommitRecord> page = pg.commits(next, pageSize).await().atMost(T);
            log.addAll(page);
            next += page.size();
            if (page.size() < pageSize) break;
        }
        long logNs = System.nanoTime() - t0;

        t0 = System.nanoTime();
        Map<dev.shoal.sequencer.core.types.Digest, Certificate> byDigest = new HashMap<>(certs.size() * 2);
        List<PersistRecord> records = new ArrayList<>(certs.size() + log.size());
        for (Certificate c : certs) {
            records.add(new PersistRecord.CertificateRecord(c));
            byDigest.put(c.digest(), c);
        }
        for (CommitRecord r : log) records.add(new PersistRecord.CommittedSubDagRecord(CommitLogCodec.toSubDag(r, byDigest::get)));
        long rebuildNs = System.nanoTime() - t0;

        t0 = System.nanoTime();
        ValidatorStateMachine.restore(committee, self, key, cc, vc, Verifier.DIRECT, records);
        long restoreNs = System.nanoTime() - t0;

        System.out.printf("profile FROM_SCRATCH %d certificates, %d commits: page reads without decoding %d ms, decoding %d ms,"
                        + " commit log read %d ms, sub-DAG rebuild %d ms, core replay (DAG + consensus + commit check) %d ms"
                        + " (of which DAG insertion alone %d ms)%n",
                certs.size(), log.size(), readNs / 1_000_000, decodeNs / 1_000_000, logNs / 1_000_000, rebuildNs / 1_000_000,
                restoreNs / 1_000_000, dagNs / 1_000_000);
    }

    /** CPU time of this JVM (all threads, GC and JIT included): on a shared machine, closer to what the work costs than wall time. */
    private static long processCpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private static String loadAverage() {
        return String.format(java.util.Locale.ROOT, "%.1f", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** PgStore's page decoding, without the parent digests it shares across a page. */
    private static Certificate decode(byte[] header, byte[] bitmap, byte[] signatures) {
        Header h = Header.decode(header, CodecLimits.DEFAULT);
        List<Signature> sigs = new ArrayList<>(signatures.length / 64);
        CanonicalReader in = new CanonicalReader(signatures, CodecLimits.DEFAULT);
        while (in.remaining() > 0) sigs.add(Signature.decode(in));
        return new Certificate(h, SignerBitmap.fromBytes(bitmap), sigs);
    }

    private static void usage(String why) {
        System.err.println("bench-recovery: " + why);
        System.err.println("usage: RecoveryBenchMain --jdbc-url URL --seed-dir DIR [--user U] [--validator I] [--strategies A,B,C]"
                + " [--warmup K] [--page-size P] [--gc-depth G] [--reputation-period P] [--profile]");
        System.exit(2);
    }
}
