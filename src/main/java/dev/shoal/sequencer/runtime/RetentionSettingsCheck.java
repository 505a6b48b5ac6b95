package dev.shoal.sequencer.runtime;

import dev.shoal.sequencer.config.SequencerConfig;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Checks the retention settings when the service starts: a bad value stops start-up with its key
 * named (exit status 2), where otherwise the first checkpoint, a minute later, would fail on it. So
 * does the retired {@code sequencer.checkpoint.archive}: set as an environment variable it would be
 * ignored silently, and a node meant to archive would prune.
 */
@ApplicationScoped
class RetentionSettingsCheck {
    private static final Logger LOG = Logger.getLogger(RetentionSettingsCheck.class);
    static final String RETIRED = "sequencer.checkpoint.archive";

    void onStart(@Observes @Priority(1) StartupEvent event, SequencerConfig config) {
        try {
            refuseRetiredKey(key -> ConfigProvider.getConfig().getOptionalValue(key, String.class));
            RetentionPolicy policy = RetentionPolicy.of(config.retention());
            LOG.infof("Retention: %s", policy.describe());
        } catch (IllegalArgumentException e) {
            LOG.errorf("Invalid configuration, the service cannot start: %s", e.getMessage());
            Quarkus.asyncExit(2);
        }
    }

    /** Fails when the retired archive key is set, saying what replaces it. */
    static void refuseRetiredKey(Function<String, Optional<String>> lookup) {
        Optional<String> old = lookup.apply(RETIRED);
        if (old.isPresent()) {
            throw new IllegalArgumentException(RETIRED + " (SEQUENCER_CHECKPOINT_ARCHIVE) is set to '" + old.get() + "' but no longer exists:"
                    + " use sequencer.retention.archive=true to keep everything, or sequencer.retention.keep-duration /"
                    + " keep-commits to prune (the default keeps 7 days); see docs/storage.md");
        }
    }
}
