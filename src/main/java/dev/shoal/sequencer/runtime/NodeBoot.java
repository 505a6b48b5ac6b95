package dev.shoal.sequencer.runtime;

import dev.shoal.sequencer.config.SequencerConfig;
import dev.shoal.sequencer.node.NodeIdentity;
import dev.shoal.sequencer.node.NodeLifecycle;
import dev.shoal.sequencer.storage.SequencerStore;
import dev.shoal.sequencer.storage.memory.InMemoryStore;
import dev.shoal.sequencer.storage.pg.PgStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Starts the validator when the application starts (after Flyway has migrated the schema):
 * chooses the store, then runs recovery and the {@link NodeAssembly} on a thread of its own while
 * the lifecycle says RECOVERING (started and ready probes DOWN, the transaction endpoint 503). The
 * node becomes READY when the loop is open. Loading the identity first makes a bad key or
 * committee stop start-up at once.
 */
@ApplicationScoped
public class NodeBoot {
    private static final Logger LOG = Logger.getLogger(NodeBoot.class);

    private final NodeIdentity identity;
    private final NodeLifecycle lifecycle;
    private final SequencerConfig config;
    private final Instance<PgStore> pgStore;
    private final MeterRegistry registry;
    private final Vertx vertx;
    private final CommitFeed feed;
    private volatile RunningNode running;
    private volatile boolean stopped;

    NodeBoot(NodeIdentity identity, NodeLifecycle lifecycle, SequencerConfig config, Instance<PgStore> pgStore,
             MeterRegistry registry, Vertx vertx, CommitFeed feed) {
        this.identity = identity;
        this.lifecycle = lifecycle;
        this.config = config;
        this.pgStore = pgStore;
        this.registry = registry;
        this.vertx = vertx;
        this.feed = feed;
    }

    void onStart(@Observes StartupEvent event) {
        LOG.infof("Validator %s (%s, index %d of %d) starting recovery", identity.name(), identity.keyPair().publicKey(),
                identity.index(), identity.committee().size());
        lifecycle.beginRecovery();
        Thread t = new Thread(this::recoverAndOpen, "recovery");
        t.setDaemon(true);
        t.start();
    }

    private void recoverAndOpen() {
        try {
            SequencerStore s = chooseStore();
            feed.storeChosen(s);
            RunningNode node = new NodeAssembly(identity, lifecycle, config, registry, vertx, feed, e -> Quarkus.asyncExit(4))
                    .assemble(s);
            synchronized (this) {
                if (stopped) {
                    node.close();
                    return;
                }
                running = node;
            }
            lifecycle.markReady();
        } catch (Throwable e) {
            if (stopped) { // the service is shutting down (e.g. a bad setting found at start): not a recovery failure
                LOG.debugf("recovery ended by the shutdown: %s", e.getMessage());
                return;
            }
            LOG.errorf("Recovery failed, the node cannot start: %s", e.getMessage());
            LOG.debug("recovery failure", e);
            Quarkus.asyncExit(3);
        }
    }

    private SequencerStore chooseStore() {
        if (!"memory".equalsIgnoreCase(config.storage().kind())) return pgStore.get();
        LOG.warn("sequencer.storage.kind=memory: nothing this node commits survives a restart");
        return new InMemoryStore();
    }

    /** The store, once chosen (before recovery; the commit feed holds it); {@link NotReadyException} before that. */
    SequencerStore store() {
        return feed.store();
    }

    /** The running node, once recovery is done. */
    Optional<RunningNode> running() {
        return Optional.ofNullable(running);
    }

    /**
     * Stops the node at the start of shutdown, while the datasource is still open: the pipeline
     * drains into a live pool (at PreDestroy the pool was already closed, and the pipeline waited
     * out its ten seconds for writes that could not land).
     */
    void onShutdown(@Observes ShutdownEvent event) {
        stop();
    }

    @PreDestroy
    synchronized void stop() {
        stopped = true;
        RunningNode node = running;
        running = null;
        if (node != null) node.close();
    }
}
