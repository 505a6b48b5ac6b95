package dev.shoal.sequencer.node;

import io.quarkus.runtime.StartupEvent;
import dev.shoal.sequencer.runtime.SequencerNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Drives the node from STARTING to READY when the application starts (after Flyway has migrated
 * the schema). Loading the identity here makes a bad key or committee stop startup at once.
 * Recovery (DESIGN section 5) then runs in the background (SequencerNode) and opens the loop.
 */
@ApplicationScoped
public class NodeStartup {
    private static final Logger LOG = Logger.getLogger(NodeStartup.class);

    private final NodeIdentity identity;
    private final NodeLifecycle lifecycle;
    private final SequencerNode node;

    NodeStartup(NodeIdentity identity, NodeLifecycle lifecycle, SequencerNode node) {
        this.identity = identity;
        this.lifecycle = lifecycle;
        this.node = node;
    }

    void onStart(@Observes StartupEvent event) {
        LOG.infof("Validator %s (%s, index %d of %d) starting recovery", identity.name(), identity.keyPair().publicKey(),
                identity.index(), identity.committee().size());
        node.start();
    }
}
