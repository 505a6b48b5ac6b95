package dev.shoal.sequencer.health;

import dev.shoal.sequencer.node.NodeLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: the node has finished recovery (lifecycle READY) and its storage accepts writes. */
@Readiness
@ApplicationScoped
public class NodeReadinessCheck implements HealthCheck {
    private final NodeLifecycle lifecycle;

    NodeReadinessCheck(NodeLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("node")
                .status(lifecycle.ready())
                .withData("lifecycle", lifecycle.state().name())
                .withData("storageHealthy", lifecycle.storageHealthy())
                .build();
    }
}
