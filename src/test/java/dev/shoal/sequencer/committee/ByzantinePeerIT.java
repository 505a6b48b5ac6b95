package dev.shoal.sequencer.committee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.sequencer.committee.support.Cluster;
import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.types.Signature;
import dev.shoal.sequencer.core.types.SignerBitmap;
import dev.shoal.sequencer.core.types.Transaction;
import dev.shoal.sequencer.core.types.Validator;
import dev.shoal.sequencer.core.types.Vote;
import dev.shoal.sequencer.core.validator.Message;
import dev.shoal.sequencer.crash.support.LoadGenerator;
import dev.shoal.sequencer.crash.support.TransactionLedger;
import dev.shoal.sequencer.net.NetworkMetrics;
import dev.shoal.sequencer.net.NetworkSettings;
import dev.shoal.sequencer.net.PeerMessage;
import dev.shoal.sequencer.net.PeerNetwork;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three honest validator processes and one Byzantine member played by the test: it holds a real
 * committee key (so its connections authenticate) but sends votes and certificates with bad
 * signatures, two different headers for one round (equivocation) and certificates with forged
 * quorums (signers below 2f+1 stake), and join traffic it has no business sending (state requests
 * far past every log, unsolicited offers and vouches). The honest validators reject each, count it in
 * {@code sequencer_consensus_rejected_total{reason=...}}, keep committing the same sequence, and
 * still answer checkpoint and state requests, vouching for one same state after commit 1.
 */
class ByzantinePeerIT {
    private static final long SEED = Long.getLong("shoal.committee.seed", 3L);
    private static final int BYZANTINE = 3;
    private static final Pattern REJECTED = Pattern.compile("sequencer_consensus_rejected_total\\{[^}]*reason=\"([a-z_]+)\"[^}]*} ([0-9.E]+)");
    private static final Pattern QUOTA = Pattern.compile("sequencer_sync_batches_rejected_total\\{[^}]*reason=\"quota\"[^}]*} ([0-9.E]+)");
    /** The honest validators' per-peer bound on pushed batches no header names (small, to be reached soon). */
    private static final int PUSH_QUOTA = 1 << 20;
    private static final int FLOOD_BATCH = 256 * 1024;
    private Cluster cluster;
    private Vertx vertx;
    private PeerNetwork byzantine;

    @AfterEach
    void stop() throws Exception {
        if (byzantine != null) byzantine.close();
        if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        if (cluster != null) cluster.close();
    }

    @Test
    void badSignaturesEquivocationForgedQuorumsAndBatchFloodsAreRejectedAndCounted() throws Exception {
        cluster = new Cluster("byzantine", 4, SEED, Map.of("SEQUENCER_SYNC_MAX_UNREFERENCED_BYTES_PER_PEER", String.valueOf(PUSH_QUOTA)))
                .start(0, 1, 2);
        Committee seen = byzantineView();
        KeyPair key = cluster.keys().key(BYZANTINE);
        KeyPair stranger = KeyPair.deterministic(new Random(SEED));
        AtomicLong highestRound = new AtomicLong();
        Set<Integer> offers = ConcurrentHashMap.newKeySet();
        Map<Integer, Digest> vouchesForOne = new ConcurrentHashMap<>();
        PeerNetwork[] net = new PeerNetwork[1];
        vertx = Vertx.vertx();
        net[0] = new PeerNetwork(vertx, seen, BYZANTINE, key, listenOn(cluster.peerPort(BYZANTINE)),
                (from, message) -> {
                    if (message instanceof PeerMessage.CheckpointOffer o) offers.add(from);
                    if (message instanceof PeerMessage.StateVouch v && v.commitIndex() == 1 && v.stateDigest().isPresent()) {
                        vouchesForOne.put(from, v.stateDigest().get());
                    }
                    if (message instanceof PeerMessage.Consensus c && c.message() instanceof Message.HeaderMessage hm) {
                        Header h = hm.header();
                        highestRound.accumulateAndGet(h.round(), Math::max);
                        // A vote for the honest header, signed with a key that is not ours.
                        Vote forged = new Vote(h.digest(), h.epoch(), h.round(), h.author(), BYZANTINE, stranger.sign(h.voteMessage()));
                        net[0].send(from, new PeerMessage.Consensus(new Message.VoteMessage(forged)));
                    }
                }, new NetworkMetrics(new SimpleMeterRegistry()));
        byzantine = net[0];
        byzantine.start().toCompletableFuture().get(30, TimeUnit.SECONDS);

        TransactionLedger ledger = new TransactionLedger();
        List<LoadGenerator> loads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            loads.add(new LoadGenerator(cluster.client(i), ledger, "byz-v" + i, 1, SEED + i, 5, Duration.ofMillis(50),
                    Duration.ofSeconds(20)).start());
        }
        try {
            long start = cluster.lastCommitIndex(0);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            long t = 0;
            while (System.nanoTime() < deadline && !(allRejectionsSeen() && offers.size() == 3 && vouchesForOne.size() == 3)) {
                // Join traffic from a member that is not joining: checkpoint and state requests (one far past
                // every log), and answers nobody asked for. Served or ignored; nothing else changes.
                byzantine.broadcast(new PeerMessage.CheckpointRequest());
                byzantine.broadcast(new PeerMessage.StateRequest(1));
                byzantine.broadcast(new PeerMessage.StateRequest(Long.MAX_VALUE / 2));
                byzantine.broadcast(new PeerMessage.StateVouch(1, java.util.Optional.of(Digest.sha256(new byte[] {1}))));
                byzantine.broadcast(new PeerMessage.CheckpointOffer(0, 0, new byte[] {1, 2, 3}));
                long r = highestRound.get() + 1;
                // Equivocation: two different headers of ours for one round.
                Header a = Header.of(seen.epoch(), r, BYZANTINE, ++t, List.of(), List.of());
                Header b = Header.of(seen.epoch(), r, BYZANTINE, ++t, List.of(), List.of());
                byzantine.broadcast(new PeerMessage.Consensus(new Message.HeaderMessage(a)));
                byzantine.broadcast(new PeerMessage.Consensus(new Message.HeaderMessage(b)));
                // Bad signatures: every member "signed", but all signatures are ours.
                Header c = Header.of(seen.epoch(), r + 1, BYZANTINE, ++t, List.of(), List.of());
                List<Signature> sigs = new ArrayList<>();
                for (int i = 0; i < seen.size(); i++) sigs.add(key.sign(c.voteMessage()));
                byzantine.broadcast(new PeerMessage.Consensus(new Message.CertificateMessage(
                        new Certificate(c, SignerBitmap.of(List.of(0, 1, 2, 3)), sigs))));
                // Forged quorum: a certificate only we signed.
                Header q = Header.of(seen.epoch(), r + 2, BYZANTINE, ++t, List.of(), List.of());
                byzantine.broadcast(new PeerMessage.Consensus(new Message.CertificateMessage(
                        new Certificate(q, SignerBitmap.of(List.of(BYZANTINE)), List.of(key.sign(q.voteMessage()))))));
                // A flood: batches no header will ever name, beyond the push quota.
                for (int k = 0; k < 2; k++) byzantine.broadcast(new PeerMessage.BatchPush(floodBatch(++t)));
                Thread.sleep(500);
            }
            assertThat(allRejectionsSeen()).as("seed %d: rejections counted on validator 0: %s", SEED, rejections(0)).isTrue();
            assertThat(offers).as("seed %d: every honest validator answers a checkpoint request", SEED).containsExactlyInAnyOrder(0, 1, 2);
            assertThat(vouchesForOne).as("seed %d: every honest validator vouches for its state after commit 1", SEED).hasSize(3);
            assertThat(Set.copyOf(vouchesForOne.values())).as("seed %d: and they agree on it", SEED).hasSize(1);
            for (int i = 0; i < 3; i++) {
                var stored = cluster.client(i).get("/api/v1/batches?author=" + BYZANTINE + "&limit=1000");
                assertThat(stored.status()).isEqualTo(200);
                int count = stored.body().split("\"digest\"", -1).length - 1;
                assertThat((long) count * FLOOD_BATCH).as("seed %d: validator %d stored the flooder's batches up to its quota only", SEED, i)
                        .isLessThanOrEqualTo(PUSH_QUOTA);
            }
            cluster.awaitCommitIndex(0, start + 5, Duration.ofSeconds(60));
        } finally {
            loads.forEach(LoadGenerator::close);
        }
        long upTo = Math.min(cluster.lastCommitIndex(0), Math.min(cluster.lastCommitIndex(1), cluster.lastCommitIndex(2)));
        assertThat(upTo).isPositive();
        List<String> reference = cluster.commitLog(0, upTo);
        for (int i = 1; i < 3; i++) {
            assertThat(cluster.commitLog(i, upTo)).as("seed %d: honest validator %d agrees with validator 0", SEED, i).isEqualTo(reference);
        }
        assertThat(ledger.unexpected()).isEmpty();
    }

    private static NetworkSettings listenOn(int port) {
        NetworkSettings d = NetworkSettings.defaults();
        return new NetworkSettings("127.0.0.1", port, d.maxFrameBytes(), d.queueCapacity(), d.queueBytes(), d.minBackoff(),
                d.maxBackoff(), d.handshakeTimeout());
    }

    /** The committee with the honest validators at their real peer ports (the test plays validator 3). */
    private Committee byzantineView() {
        Committee c = cluster.keys().committee();
        List<Validator> members = new ArrayList<>();
        for (int i = 0; i < c.size(); i++) {
            Validator v = c.validator(i);
            members.add(new Validator(v.name(), v.publicKey(), v.stake(), "127.0.0.1:" + cluster.peerPort(i)));
        }
        return new Committee(c.epoch(), members);
    }

    /** A batch of ours no header names: four 64 KiB transactions, distinct per n. */
    private static Batch floodBatch(long n) {
        List<Transaction> txs = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            byte[] payload = new byte[FLOOD_BATCH / 4];
            new Random(SEED * 1_000_003 + n * 4 + k).nextBytes(payload);
            txs.add(Transaction.of(payload));
        }
        return new Batch(BYZANTINE, 0, txs);
    }

    private boolean allRejectionsSeen() throws Exception {
        for (int i = 0; i < 3; i++) {
            Matcher quota = QUOTA.matcher(cluster.client(i).get("/q/metrics").body());
            if (!quota.find() || Double.parseDouble(quota.group(1)) < 1) return false;
            Map<String, Double> r = rejections(i);
            if (r.getOrDefault("equivocation", 0.0) < 1 || r.getOrDefault("invalid_signature", 0.0) < 1
                    || r.getOrDefault("no_quorum", 0.0) < 1) {
                return false;
            }
        }
        return true;
    }

    private Map<String, Double> rejections(int validator) throws Exception {
        String metrics = cluster.client(validator).get("/q/metrics").body();
        Map<String, Double> out = new java.util.TreeMap<>();
        Matcher m = REJECTED.matcher(metrics);
        while (m.find()) out.put(m.group(1), Double.parseDouble(m.group(2)));
        return out;
    }
}
