package dev.shoal.sequencer.committee;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.committee.support.Cluster;
import dev.shoal.sequencer.crash.support.ServiceClient;
import dev.shoal.sequencer.kubernetes.MonitoringManifests;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every metric the dashboard and the alert rules of kubernetes/monitoring/ name is exported by a
 * validator of a running committee (four processes, peers connected, transactions ordered, a
 * checkpoint taken): a renamed meter fails here, not silently on an operator's dashboard.
 */
class MonitoringMetricsIT {
    private static final long SEED = Long.getLong("shoal.committee.seed", System.nanoTime());
    private Cluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) cluster.close();
    }

    @Test
    void everyMetricTheDashboardAndAlertsNameIsExported() throws Exception {
        cluster = new Cluster("metrics", 4, SEED, Map.of()).startAll();
        for (int i = 0; i < cluster.size(); i++) {
            ServiceClient.Reply r = cluster.client(i).submit(List.of(("monitoring " + i).getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(20));
            assertThat(r.status()).as(r.body()).isEqualTo(202);
        }
        cluster.awaitCommitIndex(0, 5, Duration.ofSeconds(120));
        ServiceClient.Reply checkpoint = cluster.client(0).post("/api/v1/checkpoints");
        assertThat(checkpoint.status()).as(checkpoint.body()).isEqualTo(201);

        ServiceClient.Reply metrics = cluster.client(0).get("/q/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        Set<String> exported = new TreeSet<>();
        for (String line : metrics.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            exported.add(line.split("[{ ]", 2)[0]);
        }
        Set<String> missing = new TreeSet<>(MonitoringManifests.metricsUsed());
        missing.removeAll(exported);
        assertThat(missing).as("metrics named in kubernetes/monitoring/ but not exported (seed %d)", SEED).isEmpty();
    }
}
