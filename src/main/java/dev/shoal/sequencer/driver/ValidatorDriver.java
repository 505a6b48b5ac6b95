package dev.shoal.sequencer.driver;

import dev.shoal.sequencer.storage.WriteGroupMapper;
import dev.shoal.sequencer.concurrent.DaemonThreads;
import dev.shoal.sequencer.core.consensus.CommittedSubDag;
import dev.shoal.sequencer.core.validator.Event;
import dev.shoal.sequencer.core.validator.Outbound;
import dev.shoal.sequencer.core.validator.Output;
import dev.shoal.sequencer.core.validator.TimerRequest;
import dev.shoal.sequencer.core.validator.ValidatorStateMachine;
import dev.shoal.sequencer.storage.SafetyRecordConflictException;
import dev.shoal.sequencer.storage.WriteGroup;
import dev.shoal.sequencer.storage.pipeline.GroupCommitPipeline;
import dev.shoal.sequencer.storage.pipeline.PipelineFullException;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The consensus loop: feeds events to the pure {@link ValidatorStateMachine} on one thread and
 * carries out its outputs under the write-ahead rule (docs/safety.md): each output's records go to the
 * group-commit pipeline, and only once they are durable — and once every earlier output's
 * actions ran — are its messages sent and its commits published. Timers are set at once (a timer
 * reveals nothing). While the database is down, outputs wait in the pipeline, nothing leaves the
 * node, and when the pipeline is full the loop itself waits, which fills the inbox and makes
 * {@link #offer} refuse new work.
 */
public final class ValidatorDriver implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ValidatorDriver.class);

    private final ValidatorStateMachine core;
    private final GroupCommitPipeline pipeline;
    private final WriteGroupMapper mapper;
    private final Transport transport;
    private final CommitSink commits;
    private final Clock clock;
    private final DriverSettings settings;
    private final ScheduledExecutorService loop;
    private final ConsensusInlet inlet;
    private final AtomicInteger inbox = new AtomicInteger();
    private final AtomicLong publishedIndex = new AtomicLong();
    private volatile Consumer<Throwable> onFatal = t -> { };
    /** Completes when every earlier output's actions have run; outputs' actions chain on it in order. */
    private CompletableFuture<Void> actionsTail = CompletableFuture.completedFuture(null);
    private volatile boolean closed;

    public ValidatorDriver(ValidatorStateMachine core, GroupCommitPipeline pipeline, WriteGroupMapper mapper,
                           Transport transport, CommitSink commits, Clock clock, DriverSettings settings) {
        this(core, pipeline, mapper, transport, commits, clock, settings, new ConsensusInlet(settings.inboxCapacity()));
    }

    /** As above, fed through {@code inlet} (bound here; it opens when the loop starts). */
    public ValidatorDriver(ValidatorStateMachine core, GroupCommitPipeline pipeline, WriteGroupMapper mapper,
                           Transport transport, CommitSink commits, Clock clock, DriverSettings settings,
                           ConsensusInlet inlet) {
        if (inlet.capacity() != settings.inboxCapacity()) {
            throw new IllegalArgumentException("the inlet's capacity " + inlet.capacity() + " is not the inbox's " + settings.inboxCapacity());
        }
        this.core = core;
        this.pipeline = pipeline;
        this.mapper = mapper;
        this.transport = transport;
        this.commits = commits;
        this.clock = clock;
        this.settings = settings;
        this.inlet = inlet;
        inlet.bind(this); // first: a refused second driver leaves no loop thread behind (events flow only after start)
        this.loop = DaemonThreads.single("consensus-loop");
    }

    /** Called if the core throws: the node must stop rather than go on in an unknown state. */
    public void onFatal(Consumer<Throwable> handler) {
        this.onFatal = handler;
    }

    /** Opens the loop: feeds Start and begins the clock ticks. */
    public void start(long lastPublishedIndex) {
        publishedIndex.set(lastPublishedIndex);
        loop.execute(() -> process(new Event.Start(clock.millis())));
        long tick = settings.tickInterval().toMillis();
        loop.scheduleAtFixedRate(() -> process(new Event.Tick(clock.millis())), tick, tick, TimeUnit.MILLISECONDS);
        inlet.open();
    }

    /** Queues an event for the loop; false when the inbox is full or the driver closed (caller retries later). */
    public boolean offer(Event event) {
        return offer(event, () -> { });
    }

    /**
     * As {@link #offer(Event)}; {@code left} runs on the loop once the event left the inbox (only
     * when it was queued), so a caller can count what it has waiting there.
     */
    public boolean offer(Event event, Runnable left) {
        if (closed) return false;
        if (inbox.incrementAndGet() > settings.inboxCapacity()) {
            inbox.decrementAndGet();
            return false;
        }
        loop.execute(() -> {
            inbox.decrementAndGet();
            left.run();
            process(event);
        });
        return true;
    }

    /** Events the loop's inbox holds at most. */
    public int inboxCapacity() {
        return settings.inboxCapacity();
    }

    /** Runs a read of the core's state on the loop thread (the core is not thread-safe). */
    public <T> CompletableFuture<T> inspect(java.util.function.Function<ValidatorStateMachine, T> read) {
        return CompletableFuture.supplyAsync(() -> read.apply(core), loop);
    }

    /**
     * Reads the core's state on the loop thread, and completes only once every output produced
     * before the read is durable and acted on: a checkpoint built from the result never covers a
     * commit or certificate the store does not have yet.
     */
    public <T> CompletableFuture<T> snapshotDurable(java.util.function.Function<ValidatorStateMachine, T> read) {
        return CompletableFuture.supplyAsync(() -> {
            T value = read.apply(core);
            return actionsTail.thenApply(ignored -> value);
        }, loop).thenCompose(f -> f);
    }

    public int inboxDepth() {
        return inbox.get();
    }

    /** Highest commit index published (durable and handed to the sink). */
    public long publishedIndex() {
        return publishedIndex.get();
    }

    private void process(Event event) {
        if (closed) return;
        Output out;
        try {
            out = core.step(event);
        } catch (RuntimeException e) {
            LOG.errorf(e, "consensus core failed on %s; stopping the loop", event.getClass().getSimpleName());
            closed = true;
            onFatal.accept(e);
            return;
        }
        if (out.isEmpty()) return;
        for (TimerRequest t : out.timers()) {
            loop.schedule(() -> process(new Event.TimerFired(t.kind(), t.round())), t.delayMs(), TimeUnit.MILLISECONDS);
        }
        CompletableFuture<Void> durable = out.toPersist().isEmpty()
                ? CompletableFuture.completedFuture(null)
                : persist(mapper.toWriteGroup(out.toPersist(), clock.instant()));
        if (out.toSend().isEmpty() && out.committed().isEmpty()) {
            actionsTail = actionsTail.thenCombine(durable, (a, b) -> (Void) null);
            return;
        }
        actionsTail = actionsTail.thenCombine(durable, (a, b) -> (Void) null).thenRunAsync(() -> act(out), loop);
    }

    /** Hands the group to the pipeline, waiting (on the loop thread) while the pipeline is full. */
    private CompletableFuture<Void> persist(WriteGroup group) {
        while (!closed) {
            CompletableFuture<Void> durable = pipeline.whenDurable(group);
            durable.whenComplete((ok, err) -> {
                if (err != null && SafetyRecordConflictException.in(err)) loop.execute(() -> stop(err));
            });
            if (!durable.isCompletedExceptionally()) return durable;
            try {
                durable.join();
            } catch (CompletionException e) {
                if (!(e.getCause() instanceof PipelineFullException)) return durable;
            }
            sleep(settings.fullRetry().toMillis()); // full: wait for the pipeline to drain
        }
        return new CompletableFuture<>(); // closed: never durable, never acted on
    }

    /** A conflicting safety record, or an action that threw: nothing later is acted on, and the node must stop. */
    private void stop(Throwable cause) {
        if (closed) return;
        LOG.errorf("stopping: %s", cause.getMessage());
        closed = true;
        onFatal.accept(cause);
    }

    private void act(Output out) {
        if (closed) return;
        try {
            for (Outbound m : out.toSend()) transport.send(m);
            for (CommittedSubDag s : out.committed()) {
                commits.published(s);
                publishedIndex.accumulateAndGet(s.index(), Math::max);
            }
        } catch (RuntimeException e) {
            // The chain of actions would stay failed: nothing sent or published again while the loop
            // went on taking events. An action that throws leaves the node in an unknown state: stop.
            LOG.errorf(e, "sending or publishing an output failed; stopping the loop");
            stop(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        loop.shutdownNow();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
