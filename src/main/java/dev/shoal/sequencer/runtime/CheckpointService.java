package dev.shoal.sequencer.runtime;

import dev.shoal.sequencer.checkpoint.CheckpointBody;
import dev.shoal.sequencer.checkpoint.CheckpointCodec;
import dev.shoal.sequencer.checkpoint.CompressionCodec;
import dev.shoal.sequencer.config.SequencerConfig;
import dev.shoal.sequencer.core.consensus.ConsensusState;
import dev.shoal.sequencer.core.dag.Dag;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.driver.ValidatorDriver;
import dev.shoal.sequencer.node.NodeIdentity;
import dev.shoal.sequencer.node.NodeLifecycle;
import dev.shoal.sequencer.storage.CheckpointRecord;
import dev.shoal.sequencer.storage.CheckpointSummary;
import dev.shoal.sequencer.storage.SequencerStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Takes checkpoints: on a schedule (every {@code sequencer.checkpoint.every-rounds} rounds or
 * {@code sequencer.checkpoint.interval}, whichever comes first, while rounds advance) and on
 * demand (POST /api/v1/checkpoints). The snapshot is read on the consensus loop — an immutable
 * consensus state and a list of immutable certificates, a copy of references — so the loop pauses
 * only for that copy; encoding, compression and the write happen off the loop, and only after
 * everything the snapshot covers is durable. Then old checkpoints are pruned to the last K and the
 * retention policy applied ({@link HistoryRetention}).
 */
@ApplicationScoped
public class CheckpointService {
    private static final Logger LOG = Logger.getLogger(CheckpointService.class);
    private static final Duration T = Duration.ofMinutes(5);

    /** The part of the core a checkpoint needs, copied on the loop. */
    private record Snapshot(ConsensusState state, List<Certificate> window, long round, long pauseNanos) {}

    private final NodeBoot boot;
    private final NodeIdentity identity;
    private final NodeLifecycle lifecycle;
    private final SequencerConfig config;
    private final HistoryRetention retention;
    private final AtomicBoolean running = new AtomicBoolean();
    private final Timer duration;
    private final Timer loopPause;
    private final DistributionSummary size;
    private final Counter failures;
    private volatile long lastRound = -1;
    private volatile Instant lastAt = Instant.now();

    CheckpointService(NodeBoot boot, NodeIdentity identity, NodeLifecycle lifecycle, SequencerConfig config, HistoryRetention retention,
                      MeterRegistry registry) {
        this.boot = boot;
        this.retention = retention;
        this.identity = identity;
        this.lifecycle = lifecycle;
        this.config = config;
        this.duration = Timer.builder("sequencer.checkpoint.duration").description("Time to take, encode, compress and store a checkpoint")
                .publishPercentileHistogram().register(registry);
        this.loopPause = Timer.builder("sequencer.checkpoint.loop.pause").description("Time the consensus loop spent copying the snapshot")
                .publishPercentileHistogram().register(registry);
        this.failures = Counter.builder("sequencer.checkpoint.failures").description("Checkpoints that could not be taken or stored")
                .register(registry);
        this.size = DistributionSummary.builder("sequencer.checkpoint.size.bytes").description("Stored (compressed, framed) checkpoint size")
                .baseUnit("bytes").register(registry);
    }

    @Scheduled(every = "1s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!lifecycle.ready() || running.get()) return;
        ValidatorDriver driver = boot.running().map(RunningNode::driver).orElse(null);
        if (driver == null) return;
        long round = driver.inspect(m -> m.dag().highestRound()).orTimeout(5, TimeUnit.SECONDS).join();
        if (lastRound < 0) lastRound = round; // the first round seen after start counts as checkpointed
        long everyRounds = config.checkpoint().everyRounds();
        boolean byRounds = everyRounds > 0 && round - lastRound >= everyRounds;
        boolean byTime = round > lastRound && Duration.between(lastAt, Instant.now()).compareTo(config.checkpoint().interval()) >= 0;
        if (byRounds || byTime) {
            take().subscribe().with(s -> { }, e -> LOG.warnf("Scheduled checkpoint failed: %s", e.getMessage()));
        }
    }

    /** Takes a checkpoint now; fails with NotReadyException before the loop runs or while one is being taken. */
    public Uni<CheckpointSummary> take() {
        ValidatorDriver driver = boot.running().map(RunningNode::driver).orElseThrow(() -> new NotReadyException("the node is recovering; no checkpoint yet"));
        if (!running.compareAndSet(false, true)) {
            return Uni.createFrom().failure(new NotReadyException("a checkpoint is being taken; try again in a moment"));
        }
        long started = System.nanoTime();
        return Uni.createFrom().completionStage(driver.snapshotDurable(m -> {
                    long t0 = System.nanoTime();
                    Dag dag = m.dag();
                    List<Certificate> window = new ArrayList<>();
                    for (long r = dag.gcRound(); r <= dag.highestRound(); r++) window.addAll(dag.round(r));
                    return new Snapshot(m.consensus().state(), window, dag.highestRound(), System.nanoTime() - t0);
                }))
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(this::seal)
                .call(record -> boot.store().saveCheckpoint(record))
                .call(record -> prune())
                .map(record -> {
                    lastRound = record.round();
                    lastAt = record.createdAt();
                    duration.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                    size.record(record.compressedSize());
                    LOG.infof("Checkpoint at round %d: %d certificates, commit %d, %d -> %d bytes (%s)", record.round(),
                            record.certificateCount(), record.commitIndex(), record.uncompressedSize(), record.compressedSize(), record.codec());
                    return record.summary();
                })
                .onFailure().invoke(e -> failures.increment())
                .eventually(() -> running.set(false));
    }

    private CheckpointRecord seal(Snapshot s) {
        loopPause.record(s.pauseNanos(), TimeUnit.NANOSECONDS);
        CheckpointBody body = new CheckpointBody(identity.committee().epoch(), s.round(), s.state(), s.window());
        return CheckpointCodec.seal(body, config.consensus().gcDepth(), CompressionCodec.byLabel(config.checkpoint().codec()), Instant.now());
    }

    private Uni<Void> prune() {
        SequencerStore store = boot.store();
        // The checkpoint is stored: a failed retention run must not report it failed, and the next one retries.
        return store.pruneCheckpoints(config.checkpoint().keep()).chain(removed -> retention.apply(store))
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("Retention failed (tried again after the next checkpoint): %s", e.getMessage());
                    return Uni.createFrom().voidItem();
                });
    }
}
