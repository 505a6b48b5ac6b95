package dev.shoal.sequencer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * kubernetes/monitoring/ as an operator needs it: the alerts that must page, a dashboard of the
 * committee, a PodMonitor that scrapes the validators where they serve metrics. That every metric
 * they name exists is checked on a running committee (committee.MonitoringMetricsIT).
 */
class MonitoringManifestsTest {

    @Test
    void theAlertsCoverWhatMustPageAnOperator() throws Exception {
        assertThat(MonitoringManifests.alerts()).containsKeys("ShoalCommitsStalled", "ShoalNotReady", "ShoalStorageFailing",
                "ShoalPeersDisconnected", "ShoalCheckpointsFailing", "ShoalOverloaded");
        // The stuck validator: rounds advance while the commit index does not.
        assertThat(MonitoringManifests.alerts().get("ShoalCommitsStalled"))
                .contains("sequencer_consensus_dag_round").contains("sequencer_output_published_commit");
    }

    @Test
    void theDashboardShowsThroughputLatencyProgressPersistenceCheckpointsRecoveryAndPeers() throws Exception {
        assertThat(MonitoringManifests.metricsUsed()).contains("sequencer_output_transactions_total",
                "sequencer_consensus_commit_latency_seconds_bucket", "sequencer_output_published_commit", "sequencer_consensus_dag_round",
                "sequencer_persist_latency_seconds_bucket", "sequencer_persist_queue_depth", "sequencer_checkpoint_duration_seconds_count",
                "sequencer_recovery_duration_ms", "sequencer_network_peers_connected");
    }

    @Test
    @SuppressWarnings("unchecked")
    void thePodMonitorScrapesTheValidatorPodsOnTheirMetricsPath() throws Exception {
        Map<String, Object> monitor = MonitoringManifests.yaml("podmonitor.yaml");
        Map<String, Object> spec = (Map<String, Object>) monitor.get("spec");
        Map<String, Object> labels = (Map<String, Object>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
        assertThat(labels).containsEntry("app.kubernetes.io/name", "shoal-validator");
        Map<String, Object> endpoint = ((List<Map<String, Object>>) spec.get("podMetricsEndpoints")).get(0);
        assertThat(endpoint).containsEntry("path", "/q/metrics").containsEntry("port", "http");
        // The StatefulSet's container names that port (KubernetesManifestsTest checks it serves HTTP).
        assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("kubernetes", "validator.yaml")))
                .contains("- name: http\n              containerPort: 8080");
    }
}
