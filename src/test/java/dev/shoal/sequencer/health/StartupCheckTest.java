package dev.shoal.sequencer.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.node.NodeLifecycle;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** Plain JUnit: the started and node-readiness checks follow the lifecycle states. */
class StartupCheckTest {

    @Test
    void startedOnlyAfterRecovery() {
        NodeLifecycle l = new NodeLifecycle();
        NodeStartedCheck started = new NodeStartedCheck(l);
        NodeReadinessCheck ready = new NodeReadinessCheck(l);
        assertThat(started.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        l.beginRecovery();
        assertThat(started.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(ready.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(ready.call().getData().orElseThrow()).containsEntry("lifecycle", "RECOVERING");
        l.markReady();
        assertThat(started.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(ready.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }
}
