package dev.shoal.sequencer.committee;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Three validators commit for a while; the fourth then starts with an empty database, far behind
 * (more rounds than the garbage-collection depth): it syncs the missed rounds from its peers by
 * round ranges, replays them, and serves the same commit log, transactions included.
 */
class EmptyDatabaseJoinIT {
    private static final long SEED = Long.getLong("shoal.committee.seed", 11L);
    private static final int LATE = 1;
    private Cluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) cluster.close();
    }

    @Test
    void aValidatorWithAnEmptyDatabaseSyncsTheHistoryFromItsPeers() throws Exception {
        cluster = new Cluster("join", 4, SEED, Map.of()).start(0, 2, 3);
        TransactionLedger ledger = new TransactionLedger();
        List<LoadGenerator> loads = new ArrayList<>();
        for (int i : new int[] {0, 2, 3}) {
            loads.add(new LoadGenerator(cluster.client(i), ledger, "join-v" + i, 1, SEED + i, 10, Duration.ofMillis(20),
                    Duration.ofSeconds(20)).start());
        }
        try {
            // Well past the GC depth (50 rounds; a commit about every round), so parents alone cannot be fetched back to genesis from memory.
            cluster.awaitCommitIndex(0, 150, Duration.ofSeconds(120));
            cluster.start(LATE);
            long target = cluster.lastCommitIndex(0);
            cluster.awaitCommitIndex(LATE, target, Duration.ofSeconds(120));
        } finally {
            loads.forEach(LoadGenerator::close);
        }
        long upTo = Math.min(cluster.lastCommitIndex(0), cluster.lastCommitIndex(LATE));
        assertThat(cluster.commitLog(LATE, upTo)).as("seed %d: the joiner's commit log, from index 1", SEED)
                .isEqualTo(cluster.commitLog(0, upTo));
        assertThat(ledger.unexpected()).isEmpty();
    }
}
