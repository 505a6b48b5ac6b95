package dev.shoal.sequencer.net;

import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Validator;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The authenticated peer transport of one validator: a server endpoint for the connections the other
 * members open to us, and one outbound link per other member that we write our messages to. See
 * package-info for the handshake and the frame format.
 */
public final class PeerNetwork implements PeerSender, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PeerNetwork.class);

    private final Vertx vertx;
    private final Committee committee;
    private final int self;
    private final NetworkSettings settings;
    private final InboundHandler handler;
    private final NetworkMetrics metrics;
    private final LinkContext ctx;
    private final OutboundLink[] links;
    private final NetClient client;
    private final Map<Integer, InboundConnection> inbound = new ConcurrentHashMap<>();
    private final Set<InboundConnection> allInbound = ConcurrentHashMap.newKeySet();
    /** Connections accepted but not yet authenticated, at most {@link #MAX_PENDING_HANDSHAKES}. */
    static final int MAX_PENDING_HANDSHAKES = 64;

    private final AtomicInteger pendingHandshakes = new AtomicInteger();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Set<String> oversizedKindsLogged = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();
    private volatile NetServer server;
    private volatile int boundPort = -1;

    /**
     * @throws IllegalArgumentException when {@code self} is not a member, {@code key} is not its committee
     *                                  key, or another member has no valid "host:port" address
     */
    public PeerNetwork(Vertx vertx, Committee committee, int self, KeyPair key, NetworkSettings settings,
                       InboundHandler handler, NetworkMetrics metrics) {
        if (!committee.isMember(self)) throw new IllegalArgumentException("validator index " + self + " is not in the committee");
        if (!committee.validator(self).publicKey().equals(key.publicKey())) {
            throw new IllegalArgumentException("the key " + key.publicKey() + " is not the committee key of validator " + self);
        }
        this.vertx = vertx;
        this.committee = committee;
        this.self = self;
        this.settings = settings;
        this.handler = handler;
        this.metrics = metrics;
        this.ctx = new LinkContext(vertx, committee, self, key, settings, WireCodec.forFrameSize(settings.maxFrameBytes()),
                metrics, new SecureRandom());
        PeerAddress[] addresses = new PeerAddress[committee.size()];
        for (int i = 0; i < committee.size(); i++) {
            if (i == self) continue;
            Validator v = committee.validator(i);
            try {
                addresses[i] = PeerAddress.parse(v.address());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("validator " + i + " (" + v.name() + "): " + e.getMessage());
            }
        }
        this.client = vertx.createNetClient(new NetClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.handshakeTimeout().toMillis()))
                .setTcpNoDelay(true)
                .setTcpKeepAlive(true));
        this.links = new OutboundLink[committee.size()];
        for (int i = 0; i < committee.size(); i++) {
            if (i == self) continue;
            // From a non-Vert.x thread Vert.x hands out one (sticky) event-loop context; from a Vert.x
            // thread, the caller's context. Either way each link's state stays on one thread.
            Context context = vertx.getOrCreateContext();
            links[i] = new OutboundLink(ctx, i, addresses[i], client, context);
        }
    }

    /**
     * Binds the peer endpoint (settings.listenHost/port; port 0 = the port of our committee address) and
     * starts connecting to every other member at its committee address. Completes when bound.
     */
    public CompletionStage<Void> start() {
        if (!started.compareAndSet(false, true)) throw new IllegalStateException("the peer network was already started");
        if (closed.get()) throw new IllegalStateException("the peer network is closed");
        int port = listenPort();
        CompletableFuture<Void> result = new CompletableFuture<>();
        NetServer s = vertx.createNetServer(new NetServerOptions()
                .setHost(settings.listenHost())
                .setPort(port)
                .setTcpNoDelay(true)
                .setTcpKeepAlive(true));
        s.connectHandler(socket -> {
            if (closed.get()) {
                socket.close();
                return;
            }
            // Before authentication a connection costs us a signature: bound how many may be pending.
            if (pendingHandshakes.incrementAndGet() > MAX_PENDING_HANDSHAKES) {
                pendingHandshakes.decrementAndGet();
                metrics.rejected(ConnectionRejection.HANDSHAKE);
                LOG.debugf("refusing a connection from %s: %d handshakes already pending",
                        socket.remoteAddress(), MAX_PENDING_HANDSHAKES);
                socket.close();
                return;
            }
            InboundConnection c = new InboundConnection(ctx, socket, handler, registry);
            allInbound.add(c);
            c.start();
        });
        server = s;
        s.listen().onComplete(ar -> {
            if (ar.failed()) {
                result.completeExceptionally(new IllegalStateException("cannot bind the peer endpoint on "
                        + settings.listenHost() + ":" + port + ": " + ar.cause().getMessage()));
                return;
            }
            boundPort = s.actualPort();
            LOG.infof("peer endpoint of validator %d listening on %s:%d; connecting to %d peers",
                    self, settings.listenHost(), boundPort, committee.size() - 1);
            if (!closed.get()) {
                registerGauges();
                for (OutboundLink l : links) if (l != null) l.start();
            }
            result.complete(null);
        });
        return result;
    }

    private int listenPort() {
        if (settings.port() != 0) return settings.port();
        String own = committee.validator(self).address();
        if (own.isEmpty()) return 0;
        try {
            return PeerAddress.parse(own).port();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("our own committee address: " + e.getMessage());
        }
    }

    private void registerGauges() {
        List<Integer> peers = new ArrayList<>();
        for (OutboundLink l : links) if (l != null) peers.add(l.peer());
        metrics.registerGauges(
                () -> countConnected(),
                () -> inbound.size(),
                peers.stream().mapToInt(Integer::intValue).toArray(),
                p -> links[p].queuedMessages(),
                p -> links[p].queuedBytes());
    }

    private int countConnected() {
        int n = 0;
        for (OutboundLink l : links) if (l != null && l.connected()) n++;
        return n;
    }

    /**
     * Non-blocking, thread-safe. Queues the message for the peer; beyond queueCapacity messages or
     * queueBytes bytes the OLDEST queued messages are dropped (counted). Sending to self is a no-op.
     */
    @Override
    public void send(int peer, PeerMessage message) {
        if (peer == self) return;
        if (!committee.isMember(peer)) throw new IllegalArgumentException("no validator " + peer + " in the committee");
        byte[] payload = ctx.codec().encode(message);
        if (fitsFrame(payload, message, links[peer])) links[peer].enqueue(payload);
    }

    /** Encodes once and queues for every other member. */
    public void broadcast(PeerMessage message) {
        byte[] payload = ctx.codec().encode(message);
        for (OutboundLink l : links) {
            if (l != null && fitsFrame(payload, message, l)) l.enqueue(payload);
        }
    }

    /** A message over the frame limit would be refused by the receiver: drop it here, count it, say so once per kind. */
    private boolean fitsFrame(byte[] payload, PeerMessage message, OutboundLink link) {
        if (payload.length <= settings.maxFrameBytes()) return true;
        link.drop(1);
        String kind = WireCodec.kind(message);
        if (oversizedKindsLogged.add(kind)) {
            LOG.warnf("dropping a %s of %d bytes: above the peer frame limit of %d bytes (sequencer.network.max-frame-bytes)",
                    kind, payload.length, settings.maxFrameBytes());
        }
        return false;
    }

    /** The bound peer port, or -1 before {@link #start()} completed. */
    public int boundPort() {
        return boundPort;
    }

    /** One entry per other committee member, in committee order. */
    public List<PeerStatus> peers() {
        List<PeerStatus> out = new ArrayList<>(committee.size() - 1);
        for (OutboundLink l : links) {
            if (l == null) continue;
            Validator v = committee.validator(l.peer());
            out.add(new PeerStatus(l.peer(), v.name(), v.address(), l.connected(), inbound.containsKey(l.peer()),
                    l.queuedMessages(), l.queuedBytes(), l.sent(), l.dropped(), l.reconnects()));
        }
        return out;
    }

    /**
     * Stops reconnecting, closes every connection and the server; idempotent. Off the event loop it
     * waits (a few seconds at most) until the port is released, so the same port can be bound again.
     */
    @Override
    public void close() {
        CompletionStage<Void> done = closeAsync();
        if (Context.isOnVertxThread()) return;
        try {
            done.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("peer network did not close cleanly: %s", e.getMessage());
        }
    }

    /** {@link #close()} without waiting; completes when the server and client are closed. */
    public CompletionStage<Void> closeAsync() {
        if (!closed.compareAndSet(false, true)) return closedFuture;
        for (OutboundLink l : links) if (l != null) l.close();
        for (InboundConnection c : allInbound) c.closeFromAnyThread();
        metrics.unregisterGauges();
        NetServer s = server;
        Future<Void> serverClosed = s == null ? Future.succeededFuture() : s.close();
        Future.all(serverClosed, client.close()).onComplete(ar -> {
            metrics.unregisterGauges(); // again: a start() that was binding while we closed may have registered them
            LOG.infof("peer network of validator %d closed", self);
            closedFuture.complete(null);
        });
        return closedFuture;
    }

    private final InboundConnection.Registry registry = new InboundConnection.Registry() {
        @Override
        public void authenticated(InboundConnection c) {
            pendingHandshakes.decrementAndGet();
            InboundConnection previous = inbound.put(c.peer(), c);
            if (previous != null) {
                // The peer reconnected: its old connection is dead or dying; keep only the new one.
                LOG.debugf("%s reconnected; closing its previous inbound connection", ctx.describe(c.peer()));
                previous.closeFromAnyThread();
            } else {
                LOG.infof("%s connected to us", ctx.describe(c.peer()));
            }
            if (closed.get()) c.closeFromAnyThread();
        }

        @Override
        public void closed(InboundConnection c) {
            allInbound.remove(c);
            if (c.peer() < 0) pendingHandshakes.decrementAndGet();
            if (c.peer() >= 0 && inbound.remove(c.peer(), c)) {
                LOG.infof("%s disconnected from us", ctx.describe(c.peer()));
            }
        }
    };
}
