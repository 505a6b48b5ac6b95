package dev.shoal.sequencer.node;

import dev.shoal.sequencer.config.SequencerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** Makes the node's {@link NodeIdentity} injectable, loading it once from {@link SequencerConfig}. */
@ApplicationScoped
public class NodeIdentityProducer {
    private static final Logger LOG = Logger.getLogger(NodeIdentityProducer.class);

    @Produces
    @Singleton
    NodeIdentity nodeIdentity(SequencerConfig config) {
        IdentitySettings settings = new IdentitySettings(config.dataDir(), config.committeeFile(),
                config.validator().keyFile(), config.validator().keyHex(), config.validator().name(), config.epoch());
        try {
            return IdentityLoader.load(settings);
        } catch (IdentityException e) {
            LOG.error("Refusing to start: " + e.getMessage());
            throw e;
        }
    }
}
