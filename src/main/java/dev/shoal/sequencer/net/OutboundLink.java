package dev.shoal.sequencer.net;

import io.vertx.core.Context;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Our connection to one peer: connect, handshake as the client, then write the peer's queue in order
 * as MAC'd frames, as fast as the socket drains (so the bounded {@link OutboundQueue}, not the socket
 * buffer, absorbs a slow peer). On any failure: reconnect with exponential backoff and jitter; what
 * is queued meanwhile stays queued. Connection state lives on one Vert.x context; only the queue is
 * shared with callers.
 */
final class OutboundLink {
    private static final Logger LOG = Logger.getLogger(OutboundLink.class);

    private enum State { IDLE, CONNECTING, SERVER_AUTH, ACCEPT, CONNECTED, CLOSED }

    private final LinkContext ctx;
    private final int peer;
    private final PeerAddress address;
    private final NetClient client;
    private final Context context;
    private final OutboundQueue queue;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();

    private volatile State state = State.IDLE;
    private volatile boolean closed;
    private NetSocket socket;
    private ClientHandshake handshake;
    private FrameMac frameMac;
    private long timer = -1;
    private int failures;
    /** Whether the last state we logged at INFO was "up", so a run of failed retries logs once. */
    private boolean loggedUp;
    private boolean loggedDown;

    OutboundLink(LinkContext ctx, int peer, PeerAddress address, NetClient client, Context context) {
        this.ctx = ctx;
        this.peer = peer;
        this.address = address;
        this.client = client;
        this.context = context;
        this.queue = new OutboundQueue(ctx.settings().queueCapacity(), ctx.settings().queueBytes());
    }

    int peer() {
        return peer;
    }

    void start() {
        context.runOnContext(v -> connect());
    }

    /** Thread-safe, never blocks: queues the encoded message and wakes the writer if connected. */
    void enqueue(byte[] payload) {
        if (closed) return;
        int lost = queue.offer(payload);
        if (lost > 0) drop(lost);
        if (state == State.CONNECTED && drainScheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> {
                drainScheduled.set(false);
                drain();
            });
        }
    }

    void drop(int messages) {
        dropped.addAndGet(messages);
        ctx.metrics().dropped(peer, messages);
    }

    boolean connected() {
        return state == State.CONNECTED;
    }

    int queuedMessages() {
        return queue.size();
    }

    long queuedBytes() {
        return queue.bytes();
    }

    long sent() {
        return sent.get();
    }

    long dropped() {
        return dropped.get();
    }

    long reconnects() {
        return reconnects.get();
    }

    // ---- connection life cycle (on the link's context) -------------------------------------------

    private void connect() {
        if (closed) return;
        timer = -1;
        state = State.CONNECTING;
        client.connect(address.port(), address.host()).onComplete(ar -> {
            if (ar.failed()) {
                connectionFailed("cannot connect: " + ar.cause().getMessage());
            } else {
                onConnected(ar.result());
            }
        });
    }

    private void onConnected(NetSocket s) {
        if (closed) {
            s.close();
            return;
        }
        socket = s;
        handshake = new ClientHandshake(ctx.committee(), ctx.self(), ctx.key(), peer, ctx.random());
        FrameReader reader = new FrameReader(HandshakeMessages.MAX_FRAME, 0, new FrameReader.Listener() {
            @Override
            public void onFrame(byte[] payload, byte[] trailer) {
                if (socket == s) onHandshakeFrame(payload);
            }

            @Override
            public void onOversized(long length, int limit) {
                if (socket == s) fail(ConnectionRejection.OVERSIZED, "server frame of " + length + " bytes");
            }
        });
        s.handler(reader::feed);
        s.exceptionHandler(e -> LOG.debugf("%s: %s", ctx.describe(peer), e.getMessage()));
        s.closeHandler(v -> onSocketClosed(s));
        s.drainHandler(v -> {
            if (socket == s) drain();
        });
        state = State.SERVER_AUTH;
        timer = ctx.vertx().setTimer(ctx.settings().handshakeTimeout().toMillis(), id -> {
            timer = -1;
            if (socket == s && state != State.CONNECTED) {
                fail(ConnectionRejection.HANDSHAKE, "no handshake within " + ctx.settings().handshakeTimeout());
            }
        });
        s.write(FrameReader.frame(handshake.hello()));
    }

    private void onHandshakeFrame(byte[] payload) {
        try {
            switch (state) {
                case SERVER_AUTH -> {
                    socket.write(FrameReader.frame(handshake.onServerAuth(payload)));
                    state = State.ACCEPT;
                }
                case ACCEPT -> {
                    frameMac = handshake.onAccept(payload);
                    handshake = null;
                    cancelTimer();
                    failures = 0;
                    state = State.CONNECTED;
                    if (!loggedUp) LOG.infof("connected to %s", ctx.describe(peer));
                    loggedUp = true;
                    loggedDown = false;
                    drain();
                }
                // The server sends nothing after accepting: anything more is a protocol violation.
                default -> fail(ConnectionRejection.MALFORMED, "unexpected frame from the server after the handshake");
            }
        } catch (HandshakeException e) {
            fail(ConnectionRejection.HANDSHAKE, e.getMessage());
        }
    }

    /** Writes queued messages until the queue is empty or the socket's write queue is full. */
    private void drain() {
        NetSocket s = socket;
        while (state == State.CONNECTED && s != null && !s.writeQueueFull()) {
            byte[] payload = queue.poll();
            if (payload == null) return;
            s.write(FrameReader.frame(payload, frameMac.seal(payload)));
            sent.incrementAndGet();
            ctx.metrics().sent(peer, payload.length);
        }
        // If the write queue is full the drain handler calls us again.
    }

    private void fail(ConnectionRejection reason, String detail) {
        ctx.metrics().rejected(reason);
        LOG.warnf("closing connection to %s: %s (%s)", ctx.describe(peer), reason.tag(), detail);
        NetSocket s = socket;
        if (s != null) s.close(); // onSocketClosed schedules the reconnect
    }

    private void onSocketClosed(NetSocket s) {
        if (socket != s) return;
        boolean wasUp = state == State.CONNECTED;
        socket = null;
        frameMac = null;
        handshake = null;
        cancelTimer();
        if (closed) {
            state = State.CLOSED;
            return;
        }
        state = State.IDLE;
        if (wasUp) {
            LOG.infof("lost connection to %s; reconnecting", ctx.describe(peer));
            loggedUp = false;
            loggedDown = true;
        } else {
            logDown("connection closed during the handshake");
        }
        scheduleReconnect();
    }

    private void connectionFailed(String why) {
        if (closed) {
            state = State.CLOSED;
            return;
        }
        state = State.IDLE;
        logDown(why);
        scheduleReconnect();
    }

    private void logDown(String why) {
        if (!loggedDown) {
            LOG.infof("%s is unreachable (%s); retrying with backoff", ctx.describe(peer), why);
            loggedDown = true;
            loggedUp = false;
        } else {
            LOG.debugf("%s still unreachable: %s", ctx.describe(peer), why);
        }
    }

    private void scheduleReconnect() {
        long delay = Backoff.delayMillis(ctx.settings().minBackoff(), ctx.settings().maxBackoff(), failures++,
                ctx.random());
        timer = ctx.vertx().setTimer(delay, id -> {
            timer = -1;
            reconnects.incrementAndGet();
            ctx.metrics().reconnect(peer);
            connect();
        });
    }

    private void cancelTimer() {
        if (timer >= 0) {
            ctx.vertx().cancelTimer(timer);
            timer = -1;
        }
    }

    /** Stops reconnecting and closes the socket; idempotent. */
    void close() {
        if (closed) return;
        closed = true;
        context.runOnContext(v -> {
            cancelTimer();
            NetSocket s = socket;
            if (s != null) {
                s.close();
            } else {
                state = State.CLOSED;
            }
        });
    }
}
