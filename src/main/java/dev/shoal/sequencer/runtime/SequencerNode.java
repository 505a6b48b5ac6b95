package dev.shoal.sequencer.runtime;

import dev.shoal.sequencer.config.EngineConfig;
import dev.shoal.sequencer.core.consensus.ConsensusConfig;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.validator.Event;
import dev.shoal.sequencer.core.validator.ValidatorConfig;
import dev.shoal.sequencer.driver.DriverSettings;
import dev.shoal.sequencer.driver.Transport;
import dev.shoal.sequencer.driver.ValidatorDriver;
import dev.shoal.sequencer.node.NodeIdentity;
import dev.shoal.sequencer.node.NodeLifecycle;
import dev.shoal.sequencer.net.NetworkSettings;
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
import dev.shoal.sequencer.storage.CommitTransactions;
import dev.shoal.sequencer.storage.SequencerStore;
import dev.shoal.sequencer.storage.memory.InMemoryStore;
import dev.shoal.sequencer.storage.pg.PgStore;
import dev.shoal.sequencer.storage.pipeline.GroupCommitPipeline;
import dev.shoal.sequencer.storage.pipeline.PipelineSettings;
import dev.shoal.sequencer.worker.BatchSettings;
import dev.shoal.sequencer.worker.Mempool;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.quarkus.runtime.Quarkus;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The running validator: storage, the group-commit pipeline, the worker's mempool and the
 * consensus loop, assembled after start-up recovery. {@link #start()} returns at once; recovery
 * runs on its own thread while the lifecycle says RECOVERING (started and ready probes DOWN, the
 * transaction endpoint 503), and the loop opens only when it is done.
 */
@ApplicationScoped
public class SequencerNode {
    private static final Logger LOG = Logger.getLogger(SequencerNode.class);
    /** How far back (rounds before the highest recovered one) resubmitted transactions are recognised after a restart. */
    private static final long RESUBMISSION_ROUNDS = 1_000;
    private static final java.time.Duration STORE_TIMEOUT = java.time.Duration.ofMinutes(2);

    private final NodeIdentity identity;
    private final NodeLifecycle lifecycle;
    private final EngineConfig config;
    private final Instance<PgStore> pgStore;
    private final MeterRegistry registry;
    private final Vertx vertx;
    private final BroadcastProcessor<Long> published = BroadcastProcessor.create();
    private final AtomicLong publishedIndex = new AtomicLong();
    private final AtomicLong recoveryDurationMs = new AtomicLong();
    private final AtomicLong recoveryCertificates = new AtomicLong();

    private volatile SequencerStore store;
    private volatile GroupCommitPipeline pipeline;
    private volatile Mempool mempool;
    private volatile ValidatorDriver driver;
    private volatile TransactionIndexer indexer;
    private volatile RecoveryResult recovery;
    private volatile PeerServices peers;
    private volatile ConsensusMetrics consensusMetrics;
    private volatile long firstHeldCommit = 1;

    SequencerNode(NodeIdentity identity, NodeLifecycle lifecycle, EngineConfig config, Instance<PgStore> pgStore,
                  MeterRegistry registry, Vertx vertx) {
        this.identity = identity;
        this.vertx = vertx;
        this.lifecycle = lifecycle;
        this.config = config;
        this.pgStore = pgStore;
        this.registry = registry;
    }

    /** Begins recovery in the background; the node becomes READY when the loop is open. */
    public void start() {
        lifecycle.beginRecovery();
        Thread t = new Thread(() -> {
            try {
                recoverAndOpen();
                lifecycle.markReady();
            } catch (Throwable e) {
                LOG.errorf("Recovery failed, the node cannot start: %s", e.getMessage());
                LOG.debug("recovery failure", e);
                Quarkus.asyncExit(3);
            }
        }, "recovery");
        t.setDaemon(true);
        t.start();
    }

    private void recoverAndOpen() {
        SequencerStore s = "memory".equalsIgnoreCase(config.storage().kind()) ? new InMemoryStore() : pgStore.get();
        if (s instanceof InMemoryStore) LOG.warn("sequencer.storage.kind=memory: nothing this node commits survives a restart");
        store = s;
        EngineConfig.Pipeline p = config.pipeline();
        pipeline = new GroupCommitPipeline(s, new PipelineSettings(p.maxGroupRecords(), p.flushInterval(), p.capacity(),
                p.minBackoff(), p.maxBackoff()), new PipelineMetrics(registry, lifecycle));

        RecoveryStrategy strategy = RecoveryStrategy.parse(config.recovery().strategy());
        EngineConfig.Consensus c = config.consensus();
        ConsensusConfig consensusConfig = ConsensusConfig.defaults().withGcDepth(c.gcDepth())
                .withReputationUpdatePeriod(c.reputationUpdatePeriod());
        // A committee of more than one: the peer endpoint opens once recovery is done (DESIGN §5), or
        // before it when the database is empty and the validator first joins from a peer's checkpoint.
        PeerServices p2p = identity.committee().size() > 1 ? createPeers(s, consensusConfig) : null;
        if (p2p != null) p2p.onCannotCatchUp(lifecycle::cannotCatchUp);
        peers = p2p;
        // Safety rule 8: without records of our own (an emptied database, or a first start) we may have
        // voted and proposed before under this key; the core abstains until peers show how far they got.
        boolean withoutRecords = p2p != null && isEmpty(s);
        if (withoutRecords) {
            try {
                p2p.joinFromCheckpoint();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while joining", e);
            }
        }
        ValidatorConfig validatorConfig = new ValidatorConfig(c.roundTimeout().toMillis(), c.resendInterval().toMillis(),
                c.maxBatchesPerHeader(), 1_000, 256, config.sync().retentionRounds(), c.minHeaderInterval().toMillis());
        RecoveredNode recovered = new Recovery(s, identity.committee(), identity.index(), identity.keyPair(),
                consensusConfig, validatorConfig, config.recovery().pageSize(), config.checkpoint().maxBodyBytes()).run(strategy);
        recovery = recovered.result();
        RecoveryResult r = recovered.result();
        LOG.infof("Recovery done: strategy %s (requested %s), %d certificates, %d commits verified, highest round %d, %d ms%s",
                r.used(), r.requested(), r.certificatesLoaded(), r.commitsVerified(), r.highestRound(), r.durationMs(),
                r.fallbackReason().map(x -> " (fallback: " + x + ")").orElse(""));
        // Micrometer holds gauge targets weakly: keep them in fields, or the gauge reads NaN.
        recoveryDurationMs.set(r.durationMs());
        recoveryCertificates.set(r.certificatesLoaded());
        registry.gauge("sequencer.recovery.duration.ms", recoveryDurationMs);
        registry.gauge("sequencer.recovery.certificates", recoveryCertificates);

        if (withoutRecords) recovered.core().abstainUntilSafeRoundLearned();
        firstHeldCommit = recovered.firstHeldCommit();
        TransactionIndexer idx = new TransactionIndexer(s, new TransactionWindow(c.transactionWindow()), STORE_TIMEOUT,
                registry, this::onPublished);
        idx.onFatal(e -> Quarkus.asyncExit(4));
        publishedIndex.set(idx.open(recovered.lastStoredCommit(), recovered.firstHeldCommit()));
        indexer = idx;
        ValidatorDriver d = new ValidatorDriver(recovered.core(), pipeline, recovered.mapper(),
                p2p == null ? Transport.NONE : p2p.transport(), sub -> idx.committed(sub.index(), sub.batches()), Clock.systemUTC(),
                new DriverSettings(c.tick(), 100_000, java.time.Duration.ofMillis(2)));
        d.onFatal(e -> Quarkus.asyncExit(4));
        driver = d;
        consensusMetrics = new ConsensusMetrics(registry, d);
        EngineConfig.Batch b = config.batch();
        mempool = new Mempool(identity.index(), 0, new BatchSettings(b.maxTransactions(), b.maxBytes(), b.maxDelay(),
                b.maxPendingTransactions(), b.dedupWindow()), pipeline,
                batch -> {
                    if (p2p != null) p2p.push(batch);
                },
                batch -> {
                    if (p2p != null) p2p.durable(batch);
                    proposeBatches(List.of(batch.digest()));
                }, idx::committedIn);
        rememberRecentTransactions(s, recovered, b.dedupWindow());
        if (p2p != null) {
            p2p.open(d);
            LOG.infof("Peer endpoint open on port %d; connecting to %d peers", p2p.boundPort(), identity.committee().size() - 1);
        }
        d.start(recovered.lastStoredCommit());
        if (withoutRecords) p2p.probeSafeRound(); // after Start: the answer may come at once
        if (!recovered.unproposedBatches().isEmpty()) {
            LOG.infof("Re-proposing %d durable batches that no certificate references", recovered.unproposedBatches().size());
            proposeBatches(recovered.unproposedBatches());
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

    private PeerServices createPeers(SequencerStore s, ConsensusConfig consensusConfig) {
        EngineConfig.Network n = config.network();
        EngineConfig.Sync y = config.sync();
        NetworkSettings net = new NetworkSettings(n.listenHost(), n.port(), n.maxFrameBytes(), n.queueCapacity(),
                n.queueBytes(), n.minBackoff(), n.maxBackoff(), n.handshakeTimeout());
        SyncSettings sync = SyncSettings.of(y.maxRoundsPerResponse(), y.maxBatchesPerResponse(), y.catchUpLagRounds(),
                y.requestTimeout(), y.maxUnreferencedBytesPerPeer(), identity.committee().size());
        JoinSettings join = new JoinSettings(JoinPolicy.parse(y.joinFromCheckpoint()), y.joinTimeout(), consensusConfig,
                config.checkpoint().maxBodyBytes(), config.consensus().transactionWindow());
        return PeerServices.create(vertx, identity.committee(), identity.index(), identity.keyPair(), net, sync, join,
                config.consensus().maxBatchesPerHeader(), s, pipeline, registry);
    }

    /**
     * Seeds the mempool's dedup window with the transactions of our durable batches from the last
     * {@link #RESUBMISSION_ROUNDS} rounds (certified, in our own headers, or not yet proposed). A
     * client that got no answer because the node crashed sends its transactions again; without
     * this, those already durable before the crash would be packed and committed a second time.
     * Runs before the transaction endpoint opens.
     */
    private void rememberRecentTransactions(SequencerStore s, RecoveredNode recovered, int window) {
        long from = Math.max(0, recovered.result().highestRound() - RESUBMISSION_ROUNDS);
        int self = identity.index();
        java.util.Set<Digest> batches = new java.util.LinkedHashSet<>();
        dev.shoal.sequencer.storage.CertificatePages.forEachFrom(s, from, 1_000, STORE_TIMEOUT, page -> {
            for (var c : page) if (c.author() == self) batches.addAll(c.header().batchDigests());
        });
        for (var h : s.ownHeaders(from).await().atMost(STORE_TIMEOUT)) batches.addAll(h.batchDigests());
        batches.addAll(recovered.unproposedBatches());
        java.util.ArrayDeque<Digest> txs = new java.util.ArrayDeque<>();
        List<Digest> all = List.copyOf(batches);
        for (int i = 0; i < all.size(); i += 1_000) {
            for (var stored : s.batchesByDigest(all.subList(i, Math.min(all.size(), i + 1_000))).await().atMost(STORE_TIMEOUT)) {
                for (var t : stored.batch().transactions()) {
                    txs.addLast(t.digest());
                    if (txs.size() > window) txs.removeFirst();
                }
            }
        }
        if (!txs.isEmpty()) {
            LOG.infof("Remembering %d transactions of %d recent durable batches: resubmitting them is acknowledged, not committed twice",
                    txs.size(), all.size());
            mempool.rememberDurable(List.copyOf(txs));
        }
    }

    /** Hands durable batch digests to the loop, waiting while its inbox is full (never drops one). */
    private void proposeBatches(List<Digest> digests) {
        while (!driver.offer(new Event.BatchReady(digests))) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A commit whose transactions are decided and durable: readers and streams may show it now. */
    private void onPublished(CommitTransactions commit) {
        publishedIndex.accumulateAndGet(commit.commitIndex(), Math::max);
        published.onNext(commit.commitIndex());
    }

    /** The store, once recovery has chosen it. */
    public SequencerStore store() {
        SequencerStore s = store;
        if (s == null) throw new NotReadyException("the node is starting: storage is not open yet");
        return s;
    }

    /** The mempool; only while the node is ready (recovered and storage writable). */
    public Mempool mempool() {
        if (lifecycle.state() != NodeLifecycle.State.READY) {
            throw new NotReadyException("the node is recovering; it accepts transactions once recovery is done");
        }
        if (!lifecycle.storageHealthy()) {
            throw new NotReadyException("storage is not writable; transactions are refused until writes succeed again");
        }
        return mempool;
    }

    public Optional<RecoveryResult> recovery() {
        return Optional.ofNullable(recovery);
    }

    /**
     * The first commit this validator holds: 1, or the one after the checkpoint it joined from (its
     * log has nothing below; those reads are answered 410, as for pruned history).
     */
    public long firstHeldCommit() {
        return firstHeldCommit;
    }

    /** Highest commit index that is durable, its transactions decided, and published. */
    public long publishedIndex() {
        return publishedIndex.get();
    }

    /** Indexes of commits as they are published (live; no replay). */
    public Multi<Long> publishedIndexes() {
        return published;
    }

    public Optional<ValidatorDriver> driver() {
        return Optional.ofNullable(driver);
    }

    /** The committee side (absent for a committee of one, or before recovery is done). */
    public Optional<PeerServices> peers() {
        return Optional.ofNullable(peers);
    }

    public Optional<GroupCommitPipeline> pipeline() {
        return Optional.ofNullable(pipeline);
    }

    @PreDestroy
    void stop() {
        if (peers != null) peers.close();
        if (consensusMetrics != null) consensusMetrics.close();
        if (driver != null) driver.close();
        if (indexer != null) indexer.close();
        if (mempool != null) mempool.close();
        if (pipeline != null) pipeline.close();
    }
}
