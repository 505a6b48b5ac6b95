package dev.shoal.sequencer.health;

import dev.shoal.sequencer.node.NodeLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: the node has finished recovery (lifecycle READY), its storage accepts writes and it can catch up with its peers. */
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
                .withData("cannotCatchUp", lifecycle.cannotCatchUp() == null ? "" : lifecycle.cannotCatchUp())
                .build();
    }
}
