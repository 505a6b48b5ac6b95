package dev.shoal.sequencer.api;

import dev.shoal.sequencer.config.SequencerConfig;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Checks the commit stream's settings when the service starts: a bad value stops start-up with its
 * key named (exit status 2), where otherwise every stream opened later would fail with a 500. Runs
 * before the node starts recovering.
 */
@ApplicationScoped
class StreamSettingsCheck {
    private static final Logger LOG = Logger.getLogger(StreamSettingsCheck.class);

    void onStart(@Observes @Priority(1) StartupEvent event, SequencerConfig config) {
        try {
            CommitStreamEvents.checkSettings(config.api().streamRetryDelay(), config.api().streamHeartbeatInterval());
        } catch (IllegalArgumentException e) {
            LOG.errorf("Invalid configuration, the service cannot start: %s", e.getMessage());
            Quarkus.asyncExit(2);
        }
    }
}
