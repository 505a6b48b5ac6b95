package dev.shoal.sequencer.peer;

import dev.shoal.sequencer.concurrent.DaemonThreads;
import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.validator.Event;
import dev.shoal.sequencer.core.validator.Message;
import dev.shoal.sequencer.driver.ConsensusInlet;
import dev.shoal.sequencer.net.InboundHandler;
import dev.shoal.sequencer.net.PeerMessage;
import dev.shoal.sequencer.net.PeerSender;
import dev.shoal.sequencer.storage.CheckpointRecord;
import dev.shoal.sequencer.storage.SequencerStore;
import dev.shoal.sequencer.storage.StoredBatch;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Turns authenticated peer messages into consensus events, and answers peers' requests.
 * Headers and certificates reach the consensus loop only once every batch they reference is
 * durable here ({@link BatchAvailability}); votes and parent requests go straight in. Batch and
 * round-range requests are answered from the store, so a peer can sync rounds this node's memory
 * no longer holds. Each peer's events may fill only its share of the loop's inbox
 * ({@link InboxShares}). Runs on the network's event loop: nothing here blocks.
 */
final class PeerInbox implements InboundHandler {
    private static final Logger LOG = Logger.getLogger(PeerInbox.class);
    /** Encoded size of one window entry: commit index and digest. */
    private static final int WINDOW_ENTRY_BYTES = 8 + Digest.LENGTH;

    private final int self;
    private final int committeeSize;
    private final SequencerStore store;
    private final BatchAvailability batches;
    private final CatchUp catchUp;
    private final SyncSettings settings;
    private final int maxResponseBytes;
    private final SyncMetrics metrics;
    private final StateAttestor attestor;
    private final HeaderGate headerGate;
    private final AtomicBoolean attesting = new AtomicBoolean();
    private final PeerSender network;
    private final ConsensusInlet loop;
    private final InboxShares shares;
    private volatile CheckpointJoin join;
    private volatile SafeRoundProbe probe;
    private final ExecutorService windowServer = DaemonThreads.bounded("window-server", 16);

    PeerInbox(int self, int committeeSize, PeerSender network, ConsensusInlet loop, SequencerStore store,
              BatchAvailability batches, CatchUp catchUp,
              StateAttestor attestor, HeaderGate headerGate, SyncSettings settings, int maxFrameBytes, SyncMetrics metrics) {
        this.self = self;
        this.network = network;
        this.loop = loop;
        this.shares = new InboxShares(committeeSize, loop.capacity());
        this.headerGate = headerGate;
        this.attestor = attestor;
        this.committeeSize = committeeSize;
        this.store = store;
        this.batches = batches;
        this.catchUp = catchUp;
        this.settings = settings;
        // Leave room for the frame's envelope and the list's length prefixes.
        this.maxResponseBytes = Math.max(1, maxFrameBytes - 64 * 1024);
        this.metrics = metrics;
    }

    void close() {
        windowServer.shutdownNow();
    }

    /** While this validator started without records, safe-round answers go to {@code probe}. */
    void probing(SafeRoundProbe probe) {
        this.probe = probe;
    }

    /** While this validator joins from a checkpoint, offers and vouches go to {@code join}. */
    void joining(CheckpointJoin join) {
        this.join = join;
    }

    @Override
    public void onMessage(int from, PeerMessage message) {
        // Served from the store, also while this validator is itself joining (then it has nothing to offer).
        if (message instanceof PeerMessage.CheckpointRequest) {
            serveCheckpoint(from);
            return;
        } else if (message instanceof PeerMessage.StateRequest r) {
            serveState(from, r.commitIndex());
            return;
        } else if (message instanceof PeerMessage.WindowRequest r) {
            serveWindow(from, r);
            return;
        }
        CheckpointJoin j = join;
        if (message instanceof PeerMessage.CheckpointOffer o) {
            if (j != null) j.offered(from, o);
            return;
        } else if (message instanceof PeerMessage.StateVouch v) {
            if (j != null) j.vouched(from, v);
            return;
        } else if (message instanceof PeerMessage.WindowPage p) {
            if (j != null) j.windowPage(from, p);
            return;
        } else if (message instanceof PeerMessage.BatchResponse r) {
            batches.received(from, r.batches()); // a join fetches its window's batches before the loop opens
            return;
        }
        if (message instanceof PeerMessage.SafeRoundAnswer a) {
            SafeRoundProbe p = probe;
            if (p != null) p.answered(from, a.highest());
            return;
        }
        if (!loop.isOpen()) return; // not open yet: peers re-send
        if (message instanceof PeerMessage.Consensus c) {
            onConsensus(from, c.message());
        } else if (message instanceof PeerMessage.BatchPush p) {
            batches.pushed(from, p.batch());
        } else if (message instanceof PeerMessage.BatchRequest r) {
            serveBatches(from, r.digests());
        } else if (message instanceof PeerMessage.RangeRequest r) {
            serveRange(from, r.fromRound(), r.maxRounds());
        } else if (message instanceof PeerMessage.SafeRoundRequest) {
            serveSafeRound(from);
        } else if (message instanceof PeerMessage.RangeResponse r) {
            catchUp.responded(from, r.fromRound(), r.highestRound(), r.certificates().size());
            admitCertificates(from, r.certificates());
        }
    }

    private void onConsensus(int from, Message m) {
        if (m instanceof Message.HeaderMessage hm) {
            Header h = hm.header();
            if (!headerGate.admits(h, from)) {
                metrics.headerRefused();
                return;
            }
            catchUp.observed(from, h.round());
            batches.ensure(h.batchDigests(), sources(from, h.author(), List.of()))
                    .thenRun(() -> offer(from, Event.received(hm, from)));
        } else if (m instanceof Message.VoteMessage) {
            offer(from, Event.received(m, from));
        } else if (m instanceof Message.CertificateMessage cm) {
            catchUp.observed(from, cm.certificate().round());
            admitCertificates(from, List.of(cm.certificate()));
        } else if (m instanceof Message.CertificateRequest) {
            offer(from, Event.received(m, from));
        }
    }

    /** Certificates enter once their batches are durable here; asked of the sender, the author, then the signers. */
    private void admitCertificates(int from, List<Certificate> certificates) {
        if (certificates.isEmpty()) return;
        Set<Digest> digests = new LinkedHashSet<>();
        Set<Integer> holders = new LinkedHashSet<>();
        for (Certificate c : certificates) {
            digests.addAll(c.header().batchDigests());
            holders.add(c.author());
            holders.addAll(c.signers().signers());
        }
        batches.certified(certificates);
        List<Integer> sources = sources(from, -1, List.copyOf(holders));
        batches.ensure(List.copyOf(digests), sources).whenComplete((ok, failed) -> {
            if (failed == null) {
                for (Certificate c : certificates) offer(from, new Event.CertificateReceived(c, from));
            } else if (certificates.size() > 1) {
                // One batch nobody sent must not keep a whole range out: each certificate waits for its own.
                LOG.debugf("batches of %d certificates from peer %d not all had (%s); admitting them one by one",
                        certificates.size(), from, failed.getMessage());
                for (Certificate c : certificates) {
                    batches.ensure(c.header().batchDigests(), sources).thenRun(() -> offer(from, new Event.CertificateReceived(c, from)));
                }
            }
        });
    }

    /** Peers to ask, most likely holder first: the sender, the author, the given ones, then everyone else. */
    List<Integer> sources(int from, int author, List<Integer> others) {
        Set<Integer> order = new LinkedHashSet<>();
        order.add(from);
        if (author >= 0) order.add(author);
        order.addAll(others);
        for (int i = 0; i < committeeSize; i++) order.add(i);
        order.remove(self);
        return List.copyOf(order);
    }

    /** Hands a peer's event to the loop within that peer's share of the inbox; dropped beyond it (peers re-send). */
    private void offer(int from, Event e) {
        InboxShares s = shares;
        if (!s.take(from)) {
            metrics.inboxFull();
            return;
        }
        if (!loop.offer(e, () -> s.release(from))) {
            s.release(from);
            metrics.inboxFull();
        }
    }

    private void serveBatches(int from, List<Digest> digests) {
        List<Digest> asked = digests.size() > settings.maxBatchesPerResponse()
                ? digests.subList(0, settings.maxBatchesPerResponse()) : digests;
        store.batchesByDigest(asked).subscribe().with(found -> {
            metrics.requestServed();
            List<Batch> chunk = new ArrayList<>();
            long bytes = 0;
            for (StoredBatch b : found) {
                long size = b.batch().payloadBytes() + 64L * b.batch().transactions().size();
                if (!chunk.isEmpty() && bytes + size > maxResponseBytes) {
                    network.send(from, new PeerMessage.BatchResponse(List.copyOf(chunk)));
                    chunk.clear();
                    bytes = 0;
                }
                chunk.add(b.batch());
                bytes += size;
            }
            if (!chunk.isEmpty()) network.send(from, new PeerMessage.BatchResponse(List.copyOf(chunk)));
        }, err -> LOG.debugf("batch request of peer %d not answered: %s", from, err.getMessage()));
    }

    /** Our latest checkpoint (if it fits a frame), the lowest round we store and our DAG's highest round. */
    private void serveCheckpoint(int from) {
        CompletableFuture<Long> highest = loop.isOpen() ? loop.inspect(core -> core.dag().highestRound()) : CompletableFuture.completedFuture(0L);
        store.certificatePage(0, Integer.MAX_VALUE, 1).chain(lowest -> store.latestCheckpoint().map(latest -> {
            byte[] frame = latest.map(CheckpointRecord::payload).orElse(new byte[0]);
            if (frame.length > maxResponseBytes) {
                LOG.warnf("Our latest checkpoint (%d bytes) exceeds a peer frame; peer %d is offered none (raise sequencer.network.max-frame-bytes)",
                        frame.length, from);
                frame = new byte[0];
            }
            return new PeerMessage.CheckpointOffer(lowest.isEmpty() ? 0 : lowest.get(0).round(), 0, frame);
        })).subscribe().with(offer -> highest.whenComplete((h, err) -> {
            metrics.requestServed();
            network.send(from, new PeerMessage.CheckpointOffer(offer.lowestRound(), h == null ? 0 : h, offer.checkpoint()));
        }), err -> LOG.debugf("checkpoint request of peer %d not answered: %s", from, err.getMessage()));
    }

    /**
     * The digest of our state after a commit, derived on a worker thread; one at a time (a peer asking
     * while we derive one gets an empty answer and asks again).
     */
    private void serveState(int from, long commitIndex) {
        if (!attesting.compareAndSet(false, true)) {
            network.send(from, new PeerMessage.StateVouch(commitIndex, java.util.Optional.empty()));
            return;
        }
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            java.util.Optional<Digest> digest = java.util.Optional.empty();
            try {
                digest = attestor.digestAt(commitIndex);
            } catch (RuntimeException e) {
                LOG.warnf("Cannot derive our state at commit %d for peer %d: %s", commitIndex, from, e.getMessage());
            } finally {
                attesting.set(false);
            }
            metrics.requestServed();
            network.send(from, new PeerMessage.StateVouch(commitIndex, digest));
        });
    }

    /**
     * A page of our transaction window after a commit, derived on the window thread (then served
     * from the attestor's cache). Deriving reads up to a window of rows; requests beyond a short
     * queue are dropped (the joiner asks again), so a peer asking for many commits only slows
     * joiners down.
     */
    private void serveWindow(int from, PeerMessage.WindowRequest r) {
        windowServer.execute(() -> {
            PeerMessage.WindowPage page = PeerMessage.WindowPage.unavailable(r.commitIndex());
            try {
                var window = attestor.windowAt(r.commitIndex());
                if (window.isPresent()) {
                    var w = window.get();
                    long first = Math.min(Math.max(r.fromPosition(), w.firstPosition()), w.outputEnd() + 1);
                    List<PeerMessage.WindowEntry> entries = new ArrayList<>();
                    for (var e : w.entriesFrom(first, Math.min(r.maxEntries(), maxResponseBytes / WINDOW_ENTRY_BYTES))) {
                        entries.add(new PeerMessage.WindowEntry(e.commitIndex(), e.digest()));
                    }
                    page = new PeerMessage.WindowPage(r.commitIndex(), true, w.outputEnd(), w.firstPosition(), first, entries);
                }
            } catch (RuntimeException e) {
                LOG.warnf("Cannot derive our transaction window at commit %d for peer %d: %s", r.commitIndex(), from, e.getMessage());
            }
            metrics.requestServed();
            network.send(from, page);
        });
    }

    /** A certificate of our DAG's highest round: it proves how far the committee certified (rule 8). */
    private void serveSafeRound(int from) {
        loop.inspect(core -> {
            var round = core.dag().round(core.dag().highestRound());
            return round.isEmpty() || core.dag().highestRound() == 0
                    ? java.util.Optional.<Certificate>empty() : java.util.Optional.of(round.get(0));
        }).whenComplete((highest, err) -> {
            if (err != null) return;
            metrics.requestServed();
            network.send(from, new PeerMessage.SafeRoundAnswer(highest));
        });
    }

    private void serveRange(int from, long fromRound, int maxRounds) {
        if (fromRound < 1 || maxRounds < 1) return;
        int rounds = Math.min(maxRounds, settings.maxRoundsPerResponse());
        long toRound = fromRound + rounds;
        CompletableFuture<Long> highest = loop.inspect(core -> core.dag().highestRound());
        store.certificatePage(fromRound - 1, Integer.MAX_VALUE, rounds * committeeSize).subscribe().with(page -> {
            List<Certificate> certs = new ArrayList<>(page.size());
            for (Certificate c : page) if (c.round() < toRound) certs.add(c);
            highest.whenComplete((h, err) -> {
                metrics.requestServed();
                network.send(from, new PeerMessage.RangeResponse(fromRound, toRound, h == null ? 0 : h, certs));
            });
        }, err -> LOG.debugf("range request of peer %d not answered: %s", from, err.getMessage()));
    }
}
