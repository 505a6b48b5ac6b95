package dev.shoal.sequencer.runtime;

import dev.shoal.sequencer.config.SequencerConfig;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Checks the retention settings when the service starts: a bad value stops start-up with its key
 * named (exit status 2), where otherwise the first checkpoint, a minute later, would fail on it.
 */
@ApplicationScoped
class RetentionSettingsCheck {
    private static final Logger LOG = Logger.getLogger(RetentionSettingsCheck.class);

    void onStart(@Observes @Priority(1) StartupEvent event, SequencerConfig config) {
        try {
            RetentionPolicy policy = RetentionPolicy.of(config.retention());
            LOG.infof("Retention: %s", policy.describe());
        } catch (IllegalArgumentException e) {
            LOG.errorf("Invalid configuration, the service cannot start: %s", e.getMessage());
            Quarkus.asyncExit(2);
        }
    }
}
