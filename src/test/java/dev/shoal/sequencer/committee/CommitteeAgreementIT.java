package dev.shoal.sequencer.committee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.sequencer.committee.support.Cluster;
import dev.shoal.sequencer.crash.support.ServiceClient;
import dev.shoal.sequencer.crash.support.TransactionLedger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Four validator processes on loopback, each with its own database: transactions submitted to any
 * validator are ordered, and every validator serves the same gap-free commit sequence with every
 * acknowledged transaction exactly once.
 */
class CommitteeAgreementIT {
    private static final long SEED = Long.getLong("shoal.committee.seed", 20261125L);
    private Cluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) cluster.close();
    }

    @Test
    void fourValidatorsOrderTransactionsSubmittedToAnyOfThemIdentically() throws Exception {
        cluster = new Cluster("agreement", 4, SEED, Map.of()).startAll();
        // GET /status shows the peers connected both ways (null for the validator itself).
        await("validator 0 connected to its three peers").atMost(Duration.ofSeconds(60)).until(() ->
                cluster.client(0).status().map(st -> {
                    int connected = 0;
                    for (var m : st.path("committee").path("members")) {
                        if (m.path("index").asInt() == 0) assertThat(m.path("connected").isNull()).isTrue();
                        else if (m.path("connected").asBoolean(false)) connected++;
                    }
                    return connected == 3;
                }).orElse(false));
        Random random = new Random(SEED);
        Set<String> acknowledged = new HashSet<>();
        for (int request = 0; request < 40; request++) {
            int target = request % cluster.size();
            List<byte[]> payloads = new ArrayList<>();
            for (int k = 0; k < 1 + random.nextInt(20); k++) {
                payloads.add(("agreement seed " + SEED + " request " + request + " tx " + k + " " + random.nextLong())
                        .getBytes(StandardCharsets.UTF_8));
            }
            ServiceClient.Reply reply = cluster.client(target).submit(payloads, Duration.ofSeconds(30));
            assertThat(reply.status()).as("seed %d: POST to validator %d: %s", SEED, target, reply.body()).isEqualTo(202);
            for (byte[] p : payloads) acknowledged.add(TransactionLedger.digestHex(p));
        }

        // Every validator commits every acknowledged transaction.
        List<List<String>> logs = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            int v = i;
            List<List<String>> holder = new ArrayList<>();
            await("seed " + SEED + ": validator " + v + " commits every acknowledged transaction").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500)).until(() -> {
                        long last = cluster.lastCommitIndex(v);
                        if (last < 1) return false;
                        List<String> log = cluster.commitLog(v, last);
                        holder.clear();
                        holder.add(log);
                        return transactions(log).containsAll(acknowledged);
                    });
            logs.add(holder.get(0));
        }
        int common = logs.stream().mapToInt(List::size).min().orElseThrow();
        assertThat(common).isPositive();
        for (int i = 1; i < logs.size(); i++) {
            assertThat(logs.get(i).subList(0, common)).as("seed %d: validator %d's commit log against validator 0's", SEED, i)
                    .isEqualTo(logs.get(0).subList(0, common));
        }
        List<String> all = new ArrayList<>();
        for (String line : logs.get(0)) all.addAll(transactionsOf(line));
        assertThat(all).as("seed %d: no transaction committed twice", SEED).doesNotHaveDuplicates();
    }

    static Set<String> transactions(List<String> log) {
        Set<String> out = new HashSet<>();
        for (String line : log) out.addAll(transactionsOf(line));
        return out;
    }

    /** Transaction digests of one commit-log line (see Cluster.commitLog: index, anchor, certificates, then digests). */
    static List<String> transactionsOf(String line) {
        String[] parts = line.split(" ");
        List<String> out = new ArrayList<>();
        for (int i = 3; i < parts.length; i++) out.add(parts[i]);
        return out;
    }
}
