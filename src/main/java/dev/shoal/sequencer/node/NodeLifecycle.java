package dev.shoal.sequencer.node;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Where the node is in its life: {@link State#STARTING} until startup begins recovery,
 * {@link State#RECOVERING} while the DAG and consensus state are rebuilt from storage,
 * {@link State#READY} when the consensus loop runs. Separately, whether storage currently
 * accepts writes (safety rule 5: the node reports not ready while it cannot persist).
 * Health checks read this; recovery and the persistence pipeline drive it.
 */
@ApplicationScoped
public class NodeLifecycle {
    private static final Logger LOG = Logger.getLogger(NodeLifecycle.class);

    /** Lifecycle states, in the only order they are entered. */
    public enum State {
        STARTING, RECOVERING, READY
    }

    private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
    private final AtomicBoolean storageHealthy = new AtomicBoolean(true);
    private final AtomicReference<String> cannotCatchUp = new AtomicReference<>();

    public State state() {
        return state.get();
    }

    /** Startup is over (recovery finished): the started probe reports UP. */
    public boolean started() {
        return state.get() == State.READY;
    }

    /** Ready to serve and take part in consensus: lifecycle READY, storage healthy, and able to catch up. */
    public boolean ready() {
        return state.get() == State.READY && storageHealthy.get() && cannotCatchUp.get() == null;
    }

    /** Why this validator cannot catch up with its committee (its peers pruned what it needs), or null. */
    public String cannotCatchUp() {
        return cannotCatchUp.get();
    }

    /** Set by range sync when the peers no longer hold the rounds it needs (null: it can again). */
    public void cannotCatchUp(String why) {
        String before = cannotCatchUp.getAndSet(why);
        if (why != null && before == null) LOG.errorf("Cannot catch up: %s", why);
        if (why == null && before != null) LOG.info("Catching up again: a peer sent the rounds it needed");
    }

    public boolean storageHealthy() {
        return storageHealthy.get();
    }

    public void beginRecovery() {
        advance(State.STARTING, State.RECOVERING);
    }

    public void markReady() {
        advance(State.RECOVERING, State.READY);
    }

    /** Set by the persistence pipeline when writes start failing or succeed again. */
    public void storageHealthy(boolean healthy) {
        if (storageHealthy.getAndSet(healthy) != healthy) {
            if (healthy) LOG.info("Storage is writable again");
            else LOG.warn("Storage is not writable: the node reports not ready until writes succeed");
        }
    }

    private void advance(State from, State to) {
        if (!state.compareAndSet(from, to)) {
            throw new IllegalStateException("lifecycle cannot go to " + to + " from " + state.get() + " (expected " + from + ")");
        }
        LOG.infof("Node lifecycle: %s -> %s", from, to);
    }
}
