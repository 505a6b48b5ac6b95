package dev.shoal.sequencer.committee;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.committee.support.Cluster;
import dev.shoal.sequencer.crash.support.LoadGenerator;
import dev.shoal.sequencer.crash.support.Services;
import dev.shoal.sequencer.crash.support.TransactionLedger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A validator whose stored DAG has a hole below its top: certificates of one round are missing while
 * their children are stored (what a certificate dropped by a full inbox, or lost in a crash after
 * its children were written, leaves behind). Its peers have moved on further than they keep
 * certificates in memory, so asking for the missing parents by digest goes unanswered, and range
 * sync from the DAG's top only returns what already waits. The validator must still fill the hole
 * from its peers' databases and commit again: the stuck validator of a committee restarted with its
 * history (round going on, commit index frozen, acknowledged transactions ordered by nobody).
 */
class DagHoleIT {
    private static final long SEED = Long.getLong("shoal.committee.seed", System.nanoTime());
    private static final int VICTIM = 0;
    /** Failed anchor candidates before a direct commit that {@link #punchHole} allows for. */
    private static final int CHAIN_MARGIN = 5;
    private Cluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) cluster.close();
    }

    @Test
    void aValidatorWithAHoleBelowItsTopFillsItFromItsPeersAndCommitsAgain() throws Exception {
        System.out.println("DagHoleIT seed " + SEED + " (rerun with -Dshoal.committee.seed=" + SEED + ")");
        // Peers answer parent requests by digest only for the last 20 rounds; FROM_SCRATCH so that the
        // restart sees exactly what the database holds (no checkpoint window papers over the hole).
        cluster = new Cluster("hole", 4, SEED, Map.of("SEQUENCER_SYNC_RETENTION_ROUNDS", "20",
                "SEQUENCER_RECOVERY_STRATEGY", "FROM_SCRATCH")).startAll();
        TransactionLedger ledger = new TransactionLedger();
        List<LoadGenerator> loads = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            loads.add(new LoadGenerator(cluster.client(i), ledger, "hole-" + SEED + "-v" + i, 1, SEED + i, 10,
                    Duration.ofMillis(20), Duration.ofSeconds(20)).start());
        }
        long hole = -1;
        try {
            for (int attempt = 1; attempt <= 5 && hole < 0; attempt++) {
                Thread.sleep(3_000);
                cluster.service(VICTIM).kill();
                hole = punchHole();
                if (hole < 0) {
                    cluster.service(VICTIM).start();
                    Services.awaitReady(cluster.service(VICTIM), cluster.client(VICTIM));
                }
            }
            assertThat(hole).as("seed %d: a round with stored children", SEED).isPositive();
            // The others go on far beyond the 20 rounds they keep in memory.
            long before = cluster.lastCommitIndex(1);
            cluster.awaitCommitIndex(1, before + 60, Duration.ofSeconds(60));
            cluster.service(VICTIM).start();
            Services.awaitReady(cluster.service(VICTIM), cluster.client(VICTIM));
            long target = cluster.lastCommitIndex(1);
            cluster.awaitCommitIndex(VICTIM, target + 5, Duration.ofSeconds(60));
            System.out.printf("DagHoleIT: v%d had no certificate of authors 1 and 2 in round %d, caught up to commit %d%n",
                    VICTIM, hole, target + 5);
        } finally {
            loads.forEach(LoadGenerator::close);
        }
        assertThat(ledger.unexpected()).as("seed %d: unexpected answers", SEED).isEmpty();
        long common = Math.min(cluster.lastCommitIndex(VICTIM), cluster.lastCommitIndex(1));
        assertThat(cluster.commitLog(VICTIM, common)).as("seed %d: the victim's commit log against validator 1's", SEED)
                .isEqualTo(cluster.commitLog(1, common));
    }

    /**
     * In the stopped victim's database: deletes the certificates of authors 1 and 2 in a round three
     * below its top, so every certificate of the next round waits (each names 3 of the 4), and the
     * commits that may have been decided with them (a crash also loses the commits written after the
     * certificates they depend on: they are derived again once the hole is filled). Returns the
     * round, or -1 when the database does not hold such a round yet.
     *
     * <p>A commit depends on the certificates that ordered it and on the votes that decided it. Its
     * anchor e was decided by a direct commit of a candidate d = e + 2k of the same instance, with
     * votes in round d + 1; so a commit anchored below the hole can still depend on it (d + 1 = the
     * hole's round, k failed candidates before it). Deleting only the commits anchored at or above
     * the hole left such a commit behind now and then, and FROM_SCRATCH rightly refused a log the
     * stored certificates no longer reproduce. The margin below covers chains of up to
     * {@link #CHAIN_MARGIN} failed candidates: with one validator of four down at a time, and
     * reputation moving leadership away from it, a longer chain does not occur.
     */
    private long punchHole() throws Exception {
        var db = cluster.database(VICTIM);
        long round = db.queryLong("SELECT coalesce(max(round), 0) FROM certificate") - 3;
        if (round < 2) return -1;
        if (db.queryLong("SELECT count(*) FROM certificate WHERE author IN (1, 2) AND round = " + round) != 2) return -1;
        if (db.queryLong("SELECT count(*) FROM certificate WHERE round = " + (round + 1)) < 3) return -1;
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement commits = c.prepareStatement("DELETE FROM committed_sub_dag WHERE anchor_round >= ?");
                 PreparedStatement marks = c.prepareStatement("UPDATE certificate SET committed = FALSE, commit_index = NULL"
                         + " WHERE commit_index > (SELECT coalesce(max(commit_index), 0) FROM committed_sub_dag)");
                 PreparedStatement outputs = c.prepareStatement("DELETE FROM commit_transactions"
                         + " WHERE commit_index > (SELECT coalesce(max(commit_index), 0) FROM committed_sub_dag)");
                 PreparedStatement certificates = c.prepareStatement("DELETE FROM certificate WHERE round = ? AND author IN (1, 2)")) {
                commits.setLong(1, round - 1 - 2L * CHAIN_MARGIN);
                commits.executeUpdate();
                marks.executeUpdate();
                outputs.executeUpdate();
                certificates.setLong(1, round);
                certificates.executeUpdate();
            }
            c.commit();
        }
        return round;
    }
}
