package dev.shoal.sequencer.health;

import dev.shoal.sequencer.node.NodeLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness: the process serves requests. Deliberately independent of the database and of
 * recovery, so an outage or a long recovery does not get the pod restarted.
 */
@Liveness
@ApplicationScoped
public class NodeLivenessCheck implements HealthCheck {
    private final NodeLifecycle lifecycle;

    NodeLivenessCheck(NodeLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("node-alive").up().withData("lifecycle", lifecycle.state().name()).build();
    }
}
