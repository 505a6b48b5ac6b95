package dev.shoal.sequencer.committee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.sequencer.committee.support.Cluster;
import dev.shoal.sequencer.crash.support.LoadGenerator;
import dev.shoal.sequencer.crash.support.TransactionLedger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One validator of four cut off from the other three (every link, both directions) while clients
 * load the three: they keep committing, the isolated one does not move; after the heal it syncs the
 * rounds it missed and serves the same commit log.
 */
class CommitteePartitionIT {
    private static final long SEED = Long.getLong("shoal.committee.seed", 7L);
    private static final int CUT = 2;
    private Cluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) cluster.close();
    }

    @Test
    void anIsolatedValidatorCatchesUpAfterTheHeal() throws Exception {
        cluster = new Cluster("partition", 4, SEED, Map.of()).startAll();
        TransactionLedger ledger = new TransactionLedger();
        List<LoadGenerator> loads = new ArrayList<>();
        for (int i : new int[] {0, 1, 3}) {
            loads.add(new LoadGenerator(cluster.client(i), ledger, "partition-v" + i, 1, SEED + i, 10,
                    Duration.ofMillis(20), Duration.ofSeconds(20)).start());
        }
        try {
            cluster.awaitCommitIndex(0, 3, Duration.ofSeconds(60));
            // A first start is a start without records: each validator abstains until it has learned how far
            // the committee certified, and through one round above (rule 8). The cut must come once all four
            // vote, or three could be one short of a quorum while the fourth waits out its rounds.
            for (int i = 0; i < cluster.size(); i++) {
                int v = i;
                await("v" + v + " learned its safe round").atMost(Duration.ofSeconds(60))
                        .until(() -> cluster.service(v).log().contains("voting and proposing from round"));
            }
            cluster.awaitCommitIndex(0, cluster.lastCommitIndex(0) + 3, Duration.ofSeconds(60));
            cluster.isolate(CUT);
            long isolatedAt = cluster.lastCommitIndex(CUT);
            long othersAt = cluster.lastCommitIndex(0);
            cluster.awaitCommitIndex(0, othersAt + 20, Duration.ofSeconds(90));
            long isolatedNow = cluster.lastCommitIndex(CUT);
            // In flight at the cut: at most what it had already received may still commit.
            assertThat(isolatedNow).as("the isolated validator cannot commit much without its peers")
                    .isLessThan(cluster.lastCommitIndex(0));
            cluster.heal(CUT);
            long target = cluster.lastCommitIndex(0);
            cluster.awaitCommitIndex(CUT, target, Duration.ofSeconds(120));
            System.out.printf("partition: v%d isolated at commit %d (others %d), healed and caught up to %d%n",
                    CUT, isolatedAt, othersAt, target);
        } finally {
            loads.forEach(LoadGenerator::close);
        }
        long upTo = Math.min(cluster.lastCommitIndex(0), cluster.lastCommitIndex(CUT));
        assertThat(cluster.commitLog(CUT, upTo)).as("seed %d: commit log of the healed validator", SEED)
                .isEqualTo(cluster.commitLog(0, upTo));
        assertThat(ledger.unexpected()).isEmpty();
    }
}
