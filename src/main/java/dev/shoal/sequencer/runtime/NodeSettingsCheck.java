package dev.shoal.sequencer.runtime;

import dev.shoal.sequencer.config.SequencerConfig;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Checks the node's settings that NodeAssembly would refuse, when the service starts: a bad value
 * stops start-up with its key named and exit status 2 (bad configuration), where otherwise the
 * assembly after recovery would fail on it with status 3 (recovery failed), a different remedy.
 */
@ApplicationScoped
class NodeSettingsCheck {
    private static final Logger LOG = Logger.getLogger(NodeSettingsCheck.class);

    void onStart(@Observes @Priority(1) StartupEvent event, SequencerConfig config) {
        try {
            check(config);
        } catch (IllegalArgumentException e) {
            LOG.errorf("Invalid configuration, the service cannot start: %s", e.getMessage());
            Quarkus.asyncExit(2);
        }
    }

    /** Throws IllegalArgumentException naming the first bad key. */
    static void check(SequencerConfig config) {
        NodeAssembly.validatorConfig(config);
        NodeAssembly.orderingBacklog(config, 0);
        NodeAssembly.batchSettings(config);
    }
}
