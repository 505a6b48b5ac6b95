package dev.shoal.sequencer.peer;

import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.driver.Transport;
import dev.shoal.sequencer.driver.ConsensusInlet;
import dev.shoal.sequencer.net.NetworkMetrics;
import dev.shoal.sequencer.net.NetworkSettings;
import dev.shoal.sequencer.net.PeerMessage;
import dev.shoal.sequencer.net.PeerNetwork;
import dev.shoal.sequencer.net.PeerStatus;
import dev.shoal.sequencer.storage.SequencerStore;
import dev.shoal.sequencer.storage.pipeline.GroupCommitPipeline;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The committee side of a running validator: the authenticated peer
 * network, the transport the consensus loop sends through, the inbox that turns peer messages into
 * events once their batches are here, batch dissemination, range catch-up, and joining from a peer's
 * checkpoint. It is built before recovery (a validator with an empty database joins from a peer's
 * checkpoint first) and feeds the consensus loop through the {@link ConsensusInlet} it is given,
 * which takes events once the loop runs. Order of use: {@link #create}, for an empty database
 * {@link #joinFromCheckpoint()}, the driver on the same inlet with {@link #transport()}, {@link #open()}.
 */
public final class PeerServices implements AutoCloseable {
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);

    private final PeerNetwork network;
    private final PeerInbox inbox;
    private final BatchAvailability batches;
    private final CatchUp catchUp;
    private final PeerTransport transport;
    private final Committee committee;
    private final int self;
    private final SequencerStore store;
    private final JoinSettings join;
    private final ConsensusInlet loop;
    private boolean networkStarted;
    private SafeRoundProbe probe;

    /**
     * The parts are built before the network that delivers to them: their requests go through the
     * methods below, which read {@link #network} when they run.
     */
    private PeerServices(Vertx vertx, Committee committee, int self, KeyPair key, NetworkSettings net, SyncSettings sync,
                         JoinSettings join, int maxBatchesPerHeader, SequencerStore store, GroupCommitPipeline pipeline,
                         ConsensusInlet loop, MeterRegistry registry) {
        SyncMetrics metrics = new SyncMetrics(registry);
        this.committee = committee;
        this.self = self;
        this.store = store;
        this.join = join;
        this.loop = loop;
        this.batches = new BatchAvailability(committee, store, pipeline, this::askBatches, sync, System::currentTimeMillis, metrics);
        this.catchUp = new CatchUp(committee.size(), self, this::dagPosition, this::askRange, sync, System::currentTimeMillis,
                metrics);
        StateAttestor attestor = new StateAttestor(store, committee.epoch(), committee.size(), join.consensus(),
                join.maxCheckpointBytes(), join.transactionWindow());
        HeaderGate gate = new HeaderGate(committee, maxBatchesPerHeader, 2 * join.consensus().gcDepth(), catchUp::knownDagRound);
        this.inbox = new PeerInbox(self, committee.size(), this::send, loop, store, batches, catchUp, attestor, gate, sync, net.maxFrameBytes(), metrics);
        this.network = new PeerNetwork(vertx, committee, self, key, net, inbox, new NetworkMetrics(registry));
        this.transport = new PeerTransport(network);
    }

    /** @param maxBatchesPerHeader the core's bound ({@code sequencer.consensus.max-batches-per-header}), checked before any fetch */
    public static PeerServices create(Vertx vertx, Committee committee, int self, KeyPair key, NetworkSettings net,
                                      SyncSettings sync, JoinSettings join, int maxBatchesPerHeader, SequencerStore store,
                                      GroupCommitPipeline pipeline, ConsensusInlet loop, MeterRegistry registry) {
        return new PeerServices(vertx, committee, self, key, net, sync, join, maxBatchesPerHeader, store, pipeline, loop, registry);
    }

    /**
     * For a validator whose database is empty, before recovery: opens the peer endpoint early (there is
     * nothing to recover, so nothing to protect) and, if the {@link JoinPolicy} says so and peers vouch
     * for one, installs a peer's checkpoint, which the recovery that follows starts from. Returns whether
     * one was installed.
     *
     * @throws CheckpointJoin.JoinFailedException when checkpoints were offered but none could be used
     */
    public boolean joinFromCheckpoint() throws InterruptedException {
        if (join.policy() == JoinPolicy.NEVER) return false;
        startNetwork();
        CheckpointJoin j = new CheckpointJoin(committee, self, join.policy(), join.timeout(), join.consensus().gcDepth(),
                join.maxCheckpointBytes(), join.transactionWindow(), network::send);
        inbox.joining(j);
        try {
            var chosen = j.run();
            if (chosen.isEmpty()) return false;
            CheckpointInstall.install(chosen.get(), store, batches, inbox.sources(chosen.get().checkpoint().peer(), -1, List.of()),
                    join.timeout().multipliedBy(6));
            return true;
        } finally {
            inbox.joining(null);
        }
    }

    /**
     * For a validator that started without its own records (after {@link #open}): learns from its
     * peers how far the committee certified and tells the core, which abstains until then (rule 8).
     */
    public void probeSafeRound() {
        if (!loop.isOpen()) throw new IllegalStateException("start the consensus loop first");
        SafeRoundProbe p = new SafeRoundProbe(committee, self, network::send, loop::offer);
        probe = p;
        inbox.probing(p);
        p.start(Duration.ofMillis(500));
    }

    private void send(int peer, PeerMessage message) {
        network.send(peer, message);
    }

    private void askBatches(int peer, List<Digest> digests) {
        network.send(peer, new PeerMessage.BatchRequest(digests));
    }

    private void askRange(int peer, long fromRound, int maxRounds) {
        network.send(peer, new PeerMessage.RangeRequest(fromRound, maxRounds));
    }

    private CompletableFuture<CatchUp.DagPosition> dagPosition() {
        return loop.inspect(c -> new CatchUp.DagPosition(c.dag().highestRound(), c.dag().lowestWantedRound()));
    }

    /** Told when range sync finds the peers pruned what this validator needs (a reason), and when that ends (null). */
    public void onCannotCatchUp(Consumer<String> listener) {
        catchUp.onBlocked(listener);
    }

    /** Where the consensus loop sends. */
    public Transport transport() {
        return transport;
    }

    /** Opens the peer endpoint and the connections to the committee (if the join has not already). */
    public void open() {
        startNetwork();
        catchUp.start();
    }

    private void startNetwork() {
        if (networkStarted) return;
        networkStarted = true;
        try {
            network.start().toCompletableFuture().get(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("the peer endpoint cannot be opened: " + cause.getMessage(), cause);
        }
    }

    /**
     * Our worker sealed a batch: it goes to the other validators' workers at once, while it is being
     * made durable here, so their writes overlap ours instead of following them. Safe before our own
     * write: no header of ours names the batch until it is durable here ({@link #durable}); if we
     * crash first, the peers hold a batch nobody proposes, which their push quota ages out.
     */
    public void push(Batch batch) {
        network.broadcast(new PeerMessage.BatchPush(batch));
    }

    /** Our worker's batch is durable here: peers' requests for it can be served, waits on it end. */
    public void durable(Batch batch) {
        batches.markDurable(batch.digest());
    }

    public List<PeerStatus> peers() {
        return network.peers();
    }

    public int boundPort() {
        return network.boundPort();
    }

    @Override
    public void close() {
        if (probe != null) probe.close();
        inbox.close();
        catchUp.close();
        network.close();
        batches.close();
    }
}
