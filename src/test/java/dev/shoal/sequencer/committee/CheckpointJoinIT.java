package dev.shoal.sequencer.committee;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.committee.support.Cluster;
import dev.shoal.sequencer.crash.support.LoadGenerator;
import dev.shoal.sequencer.crash.support.ServiceClient;
import dev.shoal.sequencer.crash.support.TransactionLedger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three validators that prune their history (one commit kept, checkpoints every 10 rounds, two kept)
 * commit for a while; the fourth then starts with an empty database. Syncing from genesis is
 * impossible (no peer holds round 1 any more), so it joins from a peer's checkpoint that f+1 peers
 * vouch for, and from there commits exactly what the others commit: the same commits, certificates
 * and transactions after the checkpoint (also while the same transactions are sent to two
 * validators at once: it copied the exactly-once window with the checkpoint), and 410 for the
 * history it never held.
 */
class CheckpointJoinIT {
    private static final long SEED = Long.getLong("shoal.committee.seed", 23L);
    private static final int LATE = 3;
    private Cluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) cluster.close();
    }

    @Test
    void aValidatorWithAnEmptyDatabaseJoinsFromAVouchedCheckpointWhenPeersPrune() throws Exception {
        cluster = new Cluster("ckptjoin", 4, SEED, Map.of("SEQUENCER_RETENTION_KEEP_COMMITS", "1",
                "SEQUENCER_CHECKPOINT_EVERY_ROUNDS", "10", "SEQUENCER_CHECKPOINT_INTERVAL", "1s",
                "SEQUENCER_CHECKPOINT_KEEP", "2")).start(0, 1, 2);
        TransactionLedger ledger = new TransactionLedger();
        List<LoadGenerator> loads = new ArrayList<>();
        for (int i : new int[] {0, 1, 2}) {
            List<ServiceClient> others = new ArrayList<>();
            for (int j : new int[] {0, 1, 2}) if (j != i) others.add(cluster.client(j));
            // A third of the requests go to a second validator at once, so the same transaction is packed twice
            // around the commit the joiner starts after: it must leave out what the others leave out.
            loads.add(new LoadGenerator(cluster.client(i), ledger, "ckpt-join-v" + i, 1, SEED + i, 10, Duration.ofMillis(20),
                    Duration.ofSeconds(20)).withCopiesTo(others, 0.3).start());
        }
        try {
            cluster.awaitCommitIndex(0, 150, Duration.ofSeconds(120));
            for (int i = 0; i < 3; i++) {
                long lowest = cluster.database(i).queryLong("SELECT coalesce(min(round), 0) FROM certificate");
                assertThat(lowest).as("seed %d: v%d pruned its history (lowest stored round)", SEED, i).isGreaterThan(1);
            }
            cluster.start(LATE);
            long target = cluster.lastCommitIndex(0) + 20;
            cluster.awaitCommitIndex(LATE, target, Duration.ofSeconds(120));
        } finally {
            loads.forEach(LoadGenerator::close);
        }
        String log = cluster.service(LATE).log();
        assertThat(log).as("seed %d: the joiner says how it joined", SEED).contains("Join: from a peer's checkpoint")
                .contains("vouch for the state at commit").contains("installed peer");
        long first = cluster.firstHeldCommit(LATE);
        assertThat(first).as("seed %d: the joiner's log starts after a checkpoint", SEED).isGreaterThan(1);
        // Everyone prunes fast here (two checkpoints ten rounds apart), so only what both still serve is compared:
        // first right after the join point (where a copy packed on both sides of it would show), then the latest.
        try {
            long to = first + 14;
            assertThat(cluster.commitLog(LATE, first, to)).as("seed %d: the joiner's first commits", SEED)
                    .isEqualTo(cluster.commitLog(0, first, to));
        } catch (ServiceClient.UnexpectedStatus e) {
            System.out.printf("CheckpointJoinIT: commits %d.. already pruned, compared later ones only (%s)%n", first, e.getMessage());
        }
        List<String> joiner = readableOnBoth(first);
        assertThat(joiner).as("seed %d: the joiner's commits after its checkpoint, compared", SEED).hasSizeGreaterThanOrEqualTo(10);
        List<String> joinerTransactions = new ArrayList<>();
        for (String line : joiner) joinerTransactions.addAll(CommitteeAgreementIT.transactionsOf(line));
        assertThat(joinerTransactions).as("seed %d: the joiner outputs no transaction twice", SEED).doesNotHaveDuplicates();

        ServiceClient.Reply below = cluster.client(LATE).get("/api/v1/commits?from=1");
        assertThat(below.status()).as("seed %d: history below the checkpoint", SEED).isEqualTo(410);
        assertThat(below.body()).contains("urn:shoal:problem:pruned").contains("joined from a peer's checkpoint");
        assertThat(ledger.unexpected()).isEmpty();

        // Restarted after checkpoints of its own, it still knows where its log starts (it prunes too: at or above the join point).
        cluster.service(LATE).stop(Duration.ofSeconds(20));
        cluster.start(LATE);
        assertThat(cluster.firstHeldCommit(LATE)).as("seed %d: first held commit after a restart", SEED).isGreaterThanOrEqualTo(first);
        assertThat(cluster.client(LATE).get("/api/v1/commits?from=1").status()).isEqualTo(410);
        assertThat(readableOnBoth(first)).as("seed %d: the joiner's log after a restart", SEED).hasSizeGreaterThanOrEqualTo(10);
    }

    /**
     * The last 15 commits (from {@code from} at the earliest) that the joiner and validator 0 both
     * still serve, asserted equal, transactions included. Both prune every second here, keeping
     * about the last 50 rounds (25 commits), so older ones may be gone by the time they are read,
     * and a validator that just restarted first catches up; a 410 is answered by reading again.
     */
    private List<String> readableOnBoth(long from) throws Exception {
        for (int attempt = 1; ; attempt++) {
            cluster.awaitCommitIndex(LATE, cluster.lastCommitIndex(0), Duration.ofSeconds(120));
            long upTo = Math.min(cluster.lastCommitIndex(0), cluster.lastCommitIndex(LATE));
            long start = Math.max(from, upTo - 14);
            try {
                List<String> joiner = cluster.commitLog(LATE, start, upTo);
                List<String> reference = cluster.commitLog(0, start, upTo);
                assertThat(joiner).as("seed %d: the joiner commits %d to %d", SEED, start, upTo).hasSize((int) (upTo - start + 1));
                assertThat(joiner).as("seed %d: the joiner's commits %d to %d, transactions included", SEED, start, upTo)
                        .isEqualTo(reference);
                return joiner;
            } catch (ServiceClient.UnexpectedStatus e) {
                if (!e.getMessage().contains("410") || attempt == 20) throw e;
                Thread.sleep(500);
            }
        }
    }
}
