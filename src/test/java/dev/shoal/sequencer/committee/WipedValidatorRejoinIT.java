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
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A validator whose database is wiped rejoins with the same key (safety rule 8 in the service): it
 * neither votes nor proposes until peers holding, with it, 2f+1 stake have shown with certificates
 * how far the committee certified, and then not through one round above that. Under load spread
 * over every validator (a share of it sent to two at once), it commits again, no peer ever sees two
 * headers of one of its rounds, every transaction a surviving database acknowledged is committed, no
 * transaction twice, and the commit logs agree.
 */
class WipedValidatorRejoinIT {
    private static final long SEED = Long.getLong("shoal.committee.seed", System.nanoTime());
    private static final int WIPED = 1;
    private static final Pattern LEARNED = Pattern.compile("certified up to round (\\d+): voting and proposing from round (\\d+) on");
    private Cluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) cluster.close();
    }

    @Test
    void aWipedValidatorAbstainsUntilItKnowsHowFarItMayHaveVotedAndThenCommitsAgain() throws Exception {
        System.out.println("WipedValidatorRejoinIT seed " + SEED + " (rerun with -Dshoal.committee.seed=" + SEED + ")");
        cluster = new Cluster("wipe", 4, SEED, Map.of()).startAll();
        // What the wiped validator acknowledged and had not yet had certified is gone with its database (an
        // operator's wipe destroys acknowledged data); its clients keep their own ledger, and the others do not
        // copy requests to it, so the main ledger holds only what a surviving database acknowledged.
        TransactionLedger ledger = new TransactionLedger();
        TransactionLedger wipedLedger = new TransactionLedger();
        List<LoadGenerator> loads = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            List<ServiceClient> others = new ArrayList<>();
            for (int j = 0; j < cluster.size(); j++) if (j != i && j != WIPED) others.add(cluster.client(j));
            loads.add(new LoadGenerator(cluster.client(i), i == WIPED ? wipedLedger : ledger, "wipe-" + SEED + "-v" + i, 1, SEED + i,
                    10, Duration.ofMillis(20), Duration.ofSeconds(20)).withCopiesTo(i == WIPED ? List.of() : others, 0.2).start());
        }
        long wipedAtRound;
        try {
            cluster.awaitCommitIndex(0, 40, Duration.ofSeconds(120));
            cluster.service(WIPED).kill();
            cluster.database(WIPED).wipe();
            wipedAtRound = cluster.database(0).queryLong("SELECT coalesce(max(round), 0) FROM certificate");
            cluster.service(WIPED).start();
            Services.awaitReady(cluster.service(WIPED), cluster.client(WIPED));
            long target = cluster.lastCommitIndex(0) + 20;
            cluster.awaitCommitIndex(WIPED, target, Duration.ofSeconds(120));
        } finally {
            loads.forEach(LoadGenerator::close);
        }

        String log = cluster.service(WIPED).log();
        assertThat(log).as("seed %d: the wiped validator abstains first", SEED).contains("Started without records");
        Matcher learned = LEARNED.matcher(log);
        assertThat(learned.find()).as("seed %d: it learned how far the committee certified", SEED).isTrue();
        long safe = Long.parseLong(learned.group(1));
        assertThat(safe).as("seed %d: the learned round covers every round it could have used before the wipe", SEED)
                .isGreaterThanOrEqualTo(wipedAtRound - 1);

        for (int i = 0; i < cluster.size(); i++) {
            String metrics = cluster.client(i).get("/q/metrics").body();
            assertThat(metrics).as("seed %d: validator %d saw no equivocation", SEED, i)
                    .containsPattern("sequencer_consensus_rejected_total\\{[^}]*reason=\"equivocation\"[^}]*\\} 0\\.0");
        }

        long upTo = cluster.lastCommitIndex(WIPED);
        for (int i = 0; i < cluster.size(); i++) upTo = Math.min(upTo, cluster.lastCommitIndex(i));
        List<String> reference = cluster.commitLog(0, upTo);
        for (int i = 1; i < cluster.size(); i++) {
            assertThat(cluster.commitLog(i, upTo)).as("seed %d: validator %d's commit log", SEED, i).isEqualTo(reference);
        }
        List<String> all = new ArrayList<>();
        for (String line : reference) all.addAll(CommitteeAgreementIT.transactionsOf(line));
        assertThat(all).as("seed %d: no transaction committed twice", SEED).doesNotHaveDuplicates();
        await("seed " + SEED + ": the wiped validator commits every acknowledged transaction").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500)).until(() -> CommitteeAgreementIT.transactions(
                        cluster.commitLog(WIPED, cluster.lastCommitIndex(WIPED))).containsAll(ledger.acknowledged()));
        List<String> wiped = new ArrayList<>();
        for (String line : cluster.commitLog(WIPED, cluster.lastCommitIndex(WIPED))) wiped.addAll(CommitteeAgreementIT.transactionsOf(line));
        assertThat(wiped).as("seed %d: the wiped validator commits no transaction twice", SEED).doesNotHaveDuplicates();
        assertThat(ledger.unexpected()).isEmpty();
        assertThat(wipedLedger.unexpected()).isEmpty();
    }
}
