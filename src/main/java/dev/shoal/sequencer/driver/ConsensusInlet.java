package dev.shoal.sequencer.driver;

import dev.shoal.sequencer.core.validator.Event;
import dev.shoal.sequencer.core.validator.ValidatorStateMachine;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The consensus loop's inbound port: events in, reads of the core's state on the loop. The peer
 * side gets it at construction, before recovery has produced the core the loop will run (a
 * validator joining from a peer's checkpoint needs its peer endpoint first). It refuses events
 * until the {@link ValidatorDriver} built on it has started, then passes them on; the peer side
 * depends on this port, never on the driver.
 */
public final class ConsensusInlet {
    private final int capacity;
    private volatile ValidatorDriver driver;
    private volatile boolean open;

    /** @param capacity events the loop's inbox holds at most (the driver's {@link DriverSettings#inboxCapacity()}) */
    public ConsensusInlet(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("inbox capacity must be positive, got " + capacity);
        this.capacity = capacity;
    }

    /** The driver's constructor binds it: one driver per inlet. */
    void bind(ValidatorDriver d) {
        if (driver != null) throw new IllegalStateException("the inlet already feeds a driver");
        driver = d;
    }

    /** The driver's loop has started: events flow from now on. */
    void open() {
        open = true;
    }

    /** Whether events are taken (the loop runs). */
    public boolean isOpen() {
        return open;
    }

    /** Events the loop's inbox holds at most. */
    public int capacity() {
        return capacity;
    }

    /** As {@link ValidatorDriver#offer(Event, Runnable)}; false while the loop has not started. */
    public boolean offer(Event event, Runnable left) {
        return open && driver.offer(event, left);
    }

    public boolean offer(Event event) {
        return offer(event, () -> { });
    }

    /** A read of the core's state on the loop; fails while the loop has not started. */
    public <T> CompletableFuture<T> inspect(Function<ValidatorStateMachine, T> read) {
        if (!open) return CompletableFuture.failedFuture(new IllegalStateException("the consensus loop has not started"));
        return driver.inspect(read);
    }
}
