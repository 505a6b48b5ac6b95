package dev.shoal.sequencer.runtime;

import dev.shoal.sequencer.config.SequencerConfig;
import dev.shoal.sequencer.core.consensus.ConsensusConfig;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.validator.Event;
import dev.shoal.sequencer.core.validator.ValidatorConfig;
import dev.shoal.sequencer.driver.ConsensusInlet;
import dev.shoal.sequencer.driver.DriverSettings;
import dev.shoal.sequencer.driver.Transport;
import dev.shoal.sequencer.driver.ValidatorDriver;
import dev.shoal.sequencer.net.NetworkSettings;
import dev.shoal.sequencer.node.NodeIdentity;
import dev.shoal.sequencer.node.NodeLifecycle;
import dev.shoal.sequencer.output.TransactionIndexer;
import dev.shoal.sequencer.output.TransactionWindow;
import dev.shoal.sequencer.peer.JoinPolicy;
import dev.shoal.sequencer.peer.JoinSettings;
import dev.shoal.sequencer.peer.PeerServices;
import dev.shoal.sequencer.peer.SyncSettings;
import dev.shoal.sequencer.recovery.RecoveredNode;
import dev.shoal.sequencer.recovery.Recovery;
import dev.shoal.sequencer.recovery.RecoveryResult;
import dev.shoal.sequencer.recovery.RecoveryStrategy;
import dev.shoal.sequencer.storage.SequencerStore;
import dev.shoal.sequencer.storage.pipeline.GroupCommitPipeline;
import dev.shoal.sequencer.storage.pipeline.PipelineSettings;
import dev.shoal.sequencer.worker.BatchSettings;
import dev.shoal.sequencer.worker.Mempool;
import dev.shoal.sequencer.worker.OrderingBacklog;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The wiring step: runs start-up recovery on the chosen store and assembles the {@link RunningNode}
 * around the recovered core, in the one order that keeps the safety rules:
 * <ol>
 *   <li>the group-commit pipeline over the store;</li>
 *   <li>in a committee, the peer side; with no records of our own (an emptied database or a first
 *       start) it may install a peer's checkpoint before recovery (see docs/recovery.md);</li>
 *   <li>recovery, then the transaction indexer (decides stored commits that have no decision yet);</li>
 *   <li>the consensus loop (its sends go to the peer side), and the mempool that feeds it;</li>
 *   <li>the mempool's dedup window from our recent durable batches, before any client is served;</li>
 *   <li>the peer endpoint opens, the loop starts, and durable batches nobody proposed are proposed again.</li>
 * </ol>
 * Rule 8 (docs/safety.md): a validator without records abstains from voting and proposing until
 * its peers show how far the committee got.
 */
final class NodeAssembly {
    private static final Logger LOG = Logger.getLogger(NodeAssembly.class);
    static final Duration STORE_TIMEOUT = Duration.ofMinutes(2);
    /** Events the consensus loop's inbox holds; each peer may fill 1/n of it. */
    private static final int INBOX_CAPACITY = 100_000;

    private final NodeIdentity identity;
    private final NodeLifecycle lifecycle;
    private final SequencerConfig config;
    private final MeterRegistry registry;
    private final Vertx vertx;
    private final CommitFeed feed;
    private final Consumer<Throwable> onFatal;
    /** What was built so far, closed in reverse if assembly fails. */
    private final List<AutoCloseable> built = new ArrayList<>();
    // Micrometer holds gauge targets weakly: keep them in fields, or the gauge reads NaN.
    private final AtomicLong recoveryDurationMs = new AtomicLong();
    private final AtomicLong recoveryCertificates = new AtomicLong();

    NodeAssembly(NodeIdentity identity, NodeLifecycle lifecycle, SequencerConfig config, MeterRegistry registry, Vertx vertx,
                 CommitFeed feed, Consumer<Throwable> onFatal) {
        this.identity = identity;
        this.lifecycle = lifecycle;
        this.config = config;
        this.registry = registry;
        this.vertx = vertx;
        this.feed = feed;
        this.onFatal = onFatal;
    }

    RunningNode assemble(SequencerStore store) {
        try {
            return build(store);
        } catch (RuntimeException | Error e) {
            for (int i = built.size() - 1; i >= 0; i--) closeQuietly(built.get(i));
            throw e;
        }
    }

    private RunningNode build(SequencerStore store) {
        SequencerConfig.Pipeline p = config.pipeline();
        GroupCommitPipeline pipeline = keep(new GroupCommitPipeline(store, new PipelineSettings(p.maxGroupRecords(),
                p.flushInterval(), p.capacity(), p.minBackoff(), p.maxBackoff()), new PipelineMetrics(registry, lifecycle)));

        SequencerConfig.Consensus c = config.consensus();
        ConsensusConfig consensusConfig = ConsensusConfig.defaults().withGcDepth(c.gcDepth())
                .withReputationUpdatePeriod(c.reputationUpdatePeriod());
        // The loop's inbound port exists before the loop: the peer side feeds it, and it takes events
        // once the loop runs. A committee of more than one: the peer endpoint opens once recovery is
        // done, or before it when the database is empty and the validator first joins from a peer's checkpoint.
        DriverSettings driverSettings = new DriverSettings(c.tick(), INBOX_CAPACITY, Duration.ofMillis(2));
        ConsensusInlet inlet = new ConsensusInlet(driverSettings.inboxCapacity());
        PeerServices peers = identity.committee().size() > 1 ? keep(createPeers(store, pipeline, consensusConfig, inlet)) : null;
        if (peers != null) peers.onCannotCatchUp(lifecycle::cannotCatchUp);
        boolean withoutRecords = peers != null && isEmpty(store);
        if (withoutRecords) joinFromCheckpoint(peers);

        RecoveredNode recovered = recover(store, consensusConfig);
        if (withoutRecords) recovered.core().abstainUntilSafeRoundLearned();
        TransactionIndexer indexer = keep(new TransactionIndexer(store, new TransactionWindow(c.transactionWindow()),
                STORE_TIMEOUT, registry, feed::published));
        indexer.onFatal(onFatal);
        feed.opened(recovered.firstHeldCommit(), indexer.open(recovered.lastStoredCommit(), recovered.firstHeldCommit()));

        OrderingBacklog backlog = orderingBacklog(config, identity.index());
        registry.gauge("sequencer.mempool.unordered.transactions", backlog, OrderingBacklog::transactions);
        registry.gauge("sequencer.mempool.unordered.transactions.limit", backlog, OrderingBacklog::limit);
        ValidatorDriver driver = keep(new ValidatorDriver(recovered.core(), pipeline, recovered.mapper(),
                peers == null ? Transport.NONE : peers.transport(), new CommitLatency(registry, Clock.systemUTC()).around(
                        sub -> {
                            indexer.committed(sub.index(), sub.batches());
                            backlog.committed(sub);
                        }),
                Clock.systemUTC(), driverSettings, inlet));
        driver.onFatal(onFatal);
        ConsensusMetrics consensusMetrics = keep(new ConsensusMetrics(registry, driver));
        Mempool mempool = keep(createMempool(pipeline, peers, driver, indexer, backlog));
        rememberRecentTransactions(store, recovered, mempool);

        if (peers != null) {
            peers.open();
            LOG.infof("Peer endpoint open on port %d; connecting to %d peers", peers.boundPort(), identity.committee().size() - 1);
        }
        driver.start(recovered.lastStoredCommit());
        if (withoutRecords) peers.probeSafeRound(); // after Start: the answer may come at once
        if (!recovered.unproposedBatches().isEmpty()) {
            LOG.infof("Re-proposing %d durable batches that no certificate references", recovered.unproposedBatches().size());
            propose(driver, recovered.unproposedBatches());
        }
        return new RunningNode(store, pipeline, driver, indexer, mempool, Optional.ofNullable(peers), recovered.result(),
                consensusMetrics);
    }

    private RecoveredNode recover(SequencerStore store, ConsensusConfig consensusConfig) {
        ValidatorConfig validatorConfig = validatorConfig(config);
        RecoveredNode recovered = new Recovery(store, identity.committee(), identity.index(), identity.keyPair(),
                consensusConfig, validatorConfig, config.recovery().pageSize(), config.checkpoint().maxBodyBytes())
                .run(RecoveryStrategy.parse(config.recovery().strategy()));
        RecoveryResult r = recovered.result();
        LOG.infof("Recovery done: strategy %s (requested %s), %d certificates, %d commits verified, highest round %d, %d ms%s",
                r.used(), r.requested(), r.certificatesLoaded(), r.commitsVerified(), r.highestRound(), r.durationMs(),
                r.fallbackReason().map(x -> " (fallback: " + x + ")").orElse(""));
        recoveryDurationMs.set(r.durationMs());
        recoveryCertificates.set(r.certificatesLoaded());
        registry.gauge("sequencer.recovery.duration.ms", recoveryDurationMs);
        registry.gauge("sequencer.recovery.certificates", recoveryCertificates);
        return recovered;
    }

    /**
     * The core's settings. The idle header interval must be positive and at least the minimum
     * header interval: the core reads 0 as "no idle pacing", which would bring back an empty round
     * every minimum interval, and with it the database growth the setting exists to stop.
     */
    static ValidatorConfig validatorConfig(SequencerConfig config) {
        SequencerConfig.Consensus c = config.consensus();
        long min = c.minHeaderInterval().toMillis();
        long idle = c.idleHeaderInterval().toMillis();
        if (idle <= 0 || idle < min) {
            throw new IllegalArgumentException("sequencer.consensus.idle-header-interval (" + c.idleHeaderInterval()
                    + ") must be positive and at least sequencer.consensus.min-header-interval (" + c.minHeaderInterval() + ")");
        }
        return new ValidatorConfig(c.roundTimeout().toMillis(), c.resendInterval().toMillis(), c.maxBatchesPerHeader(),
                1_000, 256, config.sync().retentionRounds(), min, idle);
    }

    private static void joinFromCheckpoint(PeerServices peers) {
        try {
            peers.joinFromCheckpoint();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while joining", e);
        }
    }

    /**
     * Nothing to recover and never took part: no commit, no checkpoint, no header of our own (a
     * validator that crashed half-way through installing a checkpoint is one; it joins again).
     */
    private static boolean isEmpty(SequencerStore s) {
        return s.lastCommitIndex().await().atMost(STORE_TIMEOUT) == 0
                && s.latestCheckpoint().await().atMost(STORE_TIMEOUT).isEmpty()
                && s.ownHeaders(0).await().atMost(STORE_TIMEOUT).isEmpty();
    }

    private PeerServices createPeers(SequencerStore store, GroupCommitPipeline pipeline, ConsensusConfig consensusConfig,
                                     ConsensusInlet inlet) {
        SequencerConfig.Network n = config.network();
        SequencerConfig.Sync y = config.sync();
        NetworkSettings net = new NetworkSettings(n.listenHost(), n.port(), n.maxFrameBytes(), n.queueCapacity(),
                n.queueBytes(), n.minBackoff(), n.maxBackoff(), n.handshakeTimeout());
        SyncSettings sync = SyncSettings.of(y.maxRoundsPerResponse(), y.maxBatchesPerResponse(), y.catchUpLagRounds(),
                y.requestTimeout(), y.maxUnreferencedBytesPerPeer(), identity.committee().size());
        JoinSettings join = new JoinSettings(JoinPolicy.parse(y.joinFromCheckpoint()), y.joinTimeout(), consensusConfig,
                config.checkpoint().maxBodyBytes(), config.consensus().transactionWindow());
        return PeerServices.create(vertx, identity.committee(), identity.index(), identity.keyPair(), net, sync, join,
                config.consensus().maxBatchesPerHeader(), store, pipeline, inlet, registry);
    }

    /** The bound on our acknowledged transactions not yet ordered (admission under overload). */
    static OrderingBacklog orderingBacklog(SequencerConfig config, int self) {
        int limit = config.batch().maxUnorderedTransactions();
        if (limit < 1) {
            throw new IllegalArgumentException("sequencer.batch.max-unordered-transactions (" + limit + ") must be positive");
        }
        return new OrderingBacklog(self, limit);
    }

    /** The most digests the mempool's dedup window holds (the compact window's own limit). */
    static final int MAX_DEDUP_WINDOW = 10_000_000;

    static BatchSettings batchSettings(SequencerConfig config) {
        SequencerConfig.Batch b = config.batch();
        if (b.dedupWindow() < 0 || b.dedupWindow() > MAX_DEDUP_WINDOW) {
            throw new IllegalArgumentException("sequencer.batch.dedup-window (" + b.dedupWindow() + ") must be between 0 (off) and "
                    + MAX_DEDUP_WINDOW + ": it is allocated up front, about 48 bytes per transaction");
        }
        return new BatchSettings(b.maxTransactions(), b.maxBytes(), b.maxDelay(), b.maxPendingTransactions(), b.dedupWindow());
    }

    /** Sealed batches go to the peers at once; durable ones are proposed to the loop. */
    private Mempool createMempool(GroupCommitPipeline pipeline, PeerServices peers, ValidatorDriver driver,
                                  TransactionIndexer indexer, OrderingBacklog backlog) {
        return new Mempool(identity.index(), 0, batchSettings(config), pipeline,
                batch -> {
                    if (peers != null) peers.push(batch);
                },
                batch -> {
                    if (peers != null) peers.durable(batch);
                    propose(driver, List.of(batch.digest()));
                }, indexer::committedIn, backlog);
    }

    /** Runs before the transaction endpoint opens (see {@link RecentTransactions}). */
    private void rememberRecentTransactions(SequencerStore store, RecoveredNode recovered, Mempool mempool) {
        RecentTransactions.Result recent = RecentTransactions.read(store, identity.index(), recovered,
                config.batch().dedupWindow(), STORE_TIMEOUT);
        if (recent.transactions().isEmpty()) return;
        LOG.infof("Remembering %d transactions of %d recent durable batches: resubmitting them is acknowledged, not committed twice",
                recent.transactions().size(), recent.batches());
        mempool.rememberDurable(recent.transactions());
    }

    /** Hands durable batch digests to the loop, waiting while its inbox is full (never drops one). */
    private static void propose(ValidatorDriver driver, List<Digest> digests) {
        while (!driver.offer(new Event.BatchReady(digests))) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private <T extends AutoCloseable> T keep(T part) {
        built.add(part);
        return part;
    }

    private static void closeQuietly(AutoCloseable part) {
        try {
            part.close();
        } catch (Exception e) {
            LOG.debugf("closing %s after a failed start: %s", part.getClass().getSimpleName(), e.getMessage());
        }
    }
}
