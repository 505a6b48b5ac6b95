package dev.shoal.sequencer.health;

import dev.shoal.sequencer.node.NodeLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/** Startup probe: UP once the node is past recovery, so Kubernetes does not kill a long recovery. */
@Startup
@ApplicationScoped
public class NodeStartedCheck implements HealthCheck {
    private final NodeLifecycle lifecycle;

    NodeStartedCheck(NodeLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("node-started")
                .status(lifecycle.started())
                .withData("lifecycle", lifecycle.state().name())
                .build();
    }
}
