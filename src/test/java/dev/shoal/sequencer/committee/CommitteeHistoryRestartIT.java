package dev.shoal.sequencer.committee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.sequencer.committee.support.Cluster;
import dev.shoal.sequencer.crash.support.LoadGenerator;
import dev.shoal.sequencer.crash.support.ServiceClient;
import dev.shoal.sequencer.crash.support.Services;
import dev.shoal.sequencer.crash.support.TransactionLedger;
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
 * A committee restarted with its history, then crashed under load spread over every validator:
 * the case the other committee tests (all on empty databases) never saw. Four validators build a
 * history under load, all stop, all start again on the same databases; then, three times, load on
 * all four, SIGKILL a random validator, more load, start it again. Within the settle time every
 * validator's commit index advances, every acknowledged transaction is committed exactly once on
 * every validator (also the fifth of them sent to two validators at once), and the commit logs
 * agree on their common prefix.
 */
class CommitteeHistoryRestartIT {
    private static final long SEED = Long.getLong("shoal.committee.seed", System.nanoTime());
    private static final int CYCLES = Integer.getInteger("shoal.committee.history.cycles", 3);
    /** How long every validator has to commit every acknowledged transaction once the load stops. */
    private static final Duration SETTLE = Duration.ofSeconds(120);
    private Cluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) cluster.close();
    }

    @Test
    void aCommitteeRestartedWithItsHistoryStaysLiveAndExactlyOnceThroughCrashes() throws Exception {
        System.out.println("CommitteeHistoryRestartIT seed " + SEED + " (rerun with -Dshoal.committee.seed=" + SEED + ")");
        cluster = new Cluster("history", 4, SEED, Map.of("SEQUENCER_CHECKPOINT_EVERY_ROUNDS", "50",
                "SEQUENCER_CHECKPOINT_INTERVAL", "3s")).startAll();
        Random random = new Random(SEED);
        TransactionLedger ledger = new TransactionLedger();

        // A history first, then the whole committee down and up again on the same databases.
        List<LoadGenerator> loads = loadAll(ledger, "history");
        Thread.sleep(8_000);
        // At least 8 s of load and more than 20 commits: on a busy machine 8 s alone gave 19.
        await("a history of more than 20 commits").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> cluster.lastCommitIndex(0) > 20);
        loads.forEach(LoadGenerator::close);
        long historyIndex = cluster.lastCommitIndex(0);
        for (int i = 0; i < cluster.size(); i++) cluster.service(i).stop(Duration.ofSeconds(20));
        cluster.startAll();
        System.out.printf("restarted with a history of %d commits: now at %d%n", historyIndex, cluster.lastCommitIndex(0));

        loads = loadAll(ledger, "cycles");
        try {
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                Thread.sleep(5_000);
                int victim = random.nextInt(cluster.size());
                cluster.service(victim).kill();
                Thread.sleep(8_000);
                cluster.service(victim).start();
                Services.awaitReady(cluster.service(victim), cluster.client(victim));
                System.out.printf("cycle %d: v%d killed and started again%n", cycle, victim);
            }
        } finally {
            loads.forEach(LoadGenerator::close);
        }
        assertThat(historyIndex).as("seed %d: a history before the restart", SEED).isGreaterThan(20);
        assertThat(ledger.unexpected()).as("seed %d: unexpected answers", SEED).isEmpty();
        Set<String> acknowledged = ledger.acknowledged();
        assertThat(acknowledged).as("seed %d: the load was acknowledged", SEED).isNotEmpty();

        // Every validator's commit index advances past where the most advanced one is now.
        long target = 0;
        for (int i = 0; i < cluster.size(); i++) target = Math.max(target, cluster.lastCommitIndex(i));
        for (int i = 0; i < cluster.size(); i++) cluster.awaitCommitIndex(i, target + 5, SETTLE);

        List<List<String>> logs = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            int v = i;
            List<String> holder = new ArrayList<>();
            await("seed " + SEED + ": validator " + v + " commits every acknowledged transaction").atMost(SETTLE)
                    .pollInterval(Duration.ofMillis(500)).until(() -> {
                        List<String> log = cluster.commitLog(v, cluster.lastCommitIndex(v));
                        holder.clear();
                        holder.addAll(log);
                        Set<String> committed = CommitteeAgreementIT.transactions(log);
                        return committed.containsAll(acknowledged);
                    });
            logs.add(List.copyOf(holder));
            List<String> all = new ArrayList<>();
            for (String line : holder) all.addAll(CommitteeAgreementIT.transactionsOf(line));
            assertThat(all).as("seed %d: validator %d commits no transaction twice", SEED, v).doesNotHaveDuplicates();
            Set<String> foreign = new HashSet<>(all);
            foreign.removeIf(ledger::sentByUs);
            assertThat(foreign).as("seed %d: only transactions the test sent are committed", SEED).isEmpty();
        }
        int common = logs.stream().mapToInt(List::size).min().orElseThrow();
        for (int i = 1; i < logs.size(); i++) {
            assertThat(logs.get(i).subList(0, common)).as("seed %d: validator %d's commit log against validator 0's", SEED, i)
                    .isEqualTo(logs.get(0).subList(0, common));
        }
    }

    /** Load on every validator: each gets its share of the clients; a fifth of the requests also go to another one. */
    private List<LoadGenerator> loadAll(TransactionLedger ledger, String phase) {
        List<LoadGenerator> loads = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            List<ServiceClient> others = new ArrayList<>();
            for (int j = 0; j < cluster.size(); j++) if (j != i) others.add(cluster.client(j));
            loads.add(new LoadGenerator(cluster.client(i), ledger, "history-" + SEED + "-" + phase + "-v" + i, 2, SEED + i, 10,
                    Duration.ofMillis(20), Duration.ofSeconds(20)).withCopiesTo(others, 0.2).start());
        }
        return loads;
    }
}
