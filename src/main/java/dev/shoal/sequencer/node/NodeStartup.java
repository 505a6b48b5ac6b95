package dev.shoal.sequencer.node;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Drives the node from STARTING to READY when the application starts (after Flyway has migrated
 * the schema). Loading the identity here makes a bad key or committee stop startup at once.
 * Recovery (DESIGN section 5) will run between beginRecovery and markReady.
 */
@ApplicationScoped
public class NodeStartup {
    private static final Logger LOG = Logger.getLogger(NodeStartup.class);

    private final NodeIdentity identity;
    private final NodeLifecycle lifecycle;

    NodeStartup(NodeIdentity identity, NodeLifecycle lifecycle) {
        this.identity = identity;
        this.lifecycle = lifecycle;
    }

    void onStart(@Observes StartupEvent event) {
        lifecycle.beginRecovery();
        // Nothing to recover yet: storage and recovery arrive with later issues.
        lifecycle.markReady();
        LOG.infof("Validator %s (%s, index %d of %d) is ready", identity.name(), identity.keyPair().publicKey(),
                identity.index(), identity.committee().size());
    }
}
