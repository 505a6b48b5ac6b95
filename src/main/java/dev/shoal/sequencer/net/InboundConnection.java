package dev.shoal.sequencer.net;

import dev.shoal.sequencer.core.codec.CodecException;
import io.vertx.core.Context;
import io.vertx.core.net.NetSocket;
import org.jboss.logging.Logger;

/**
 * One connection a peer opened to us: the server side of the handshake, then MAC-checked frames
 * decoded and handed to the {@link InboundHandler} with the authenticated sender index. Any failure
 * closes the connection and is counted; the peer reconnects with a fresh handshake. All callbacks
 * run on the socket's event loop.
 */
final class InboundConnection {
    private static final Logger LOG = Logger.getLogger(InboundConnection.class);

    /** Told when a connection authenticates and when it ends. */
    interface Registry {
        void authenticated(InboundConnection connection);

        void closed(InboundConnection connection);
    }

    private enum State { HELLO, CLIENT_AUTH, OPEN, CLOSED }

    private final LinkContext ctx;
    private final NetSocket socket;
    private final InboundHandler handler;
    private final Registry registry;
    private final Context context;
    private final ServerHandshake handshake;
    private final FrameReader reader;
    private State state = State.HELLO;
    private FrameMac frameMac;
    private int peer = -1;
    private long timer;

    InboundConnection(LinkContext ctx, NetSocket socket, InboundHandler handler, Registry registry) {
        this.ctx = ctx;
        this.socket = socket;
        this.handler = handler;
        this.registry = registry;
        this.context = ctx.vertx().getOrCreateContext();
        this.handshake = new ServerHandshake(ctx.committee(), ctx.self(), ctx.key(), ctx.random());
        this.reader = new FrameReader(HandshakeMessages.MAX_FRAME, 0, new FrameReader.Listener() {
            @Override
            public void onFrame(byte[] payload, byte[] trailer) {
                InboundConnection.this.onFrame(payload, trailer);
            }

            @Override
            public void onOversized(long length, int limit) {
                reject(ConnectionRejection.OVERSIZED, "length prefix " + length + " exceeds the limit " + limit);
            }
        });
    }

    void start() {
        timer = ctx.vertx().setTimer(ctx.settings().handshakeTimeout().toMillis(), id -> {
            if (state == State.HELLO || state == State.CLIENT_AUTH) {
                reject(ConnectionRejection.HANDSHAKE, "no handshake within " + ctx.settings().handshakeTimeout());
            }
        });
        socket.handler(reader::feed);
        socket.exceptionHandler(e -> LOG.debugf("inbound connection from %s: %s", socket.remoteAddress(), e.getMessage()));
        socket.closeHandler(v -> onClosed());
    }

    /** Authenticated peer index, or -1 before the handshake completed. */
    int peer() {
        return peer;
    }

    private void onFrame(byte[] payload, byte[] trailer) {
        switch (state) {
            case HELLO -> {
                try {
                    socket.write(FrameReader.frame(handshake.onHello(payload)));
                    state = State.CLIENT_AUTH;
                } catch (HandshakeException e) {
                    reject(ConnectionRejection.HANDSHAKE, e.getMessage());
                }
            }
            case CLIENT_AUTH -> {
                try {
                    ServerHandshake.Accepted accepted = handshake.onClientAuth(payload);
                    ctx.vertx().cancelTimer(timer);
                    peer = accepted.client();
                    frameMac = accepted.frameMac();
                    reader.mode(ctx.settings().maxFrameBytes(), FrameMac.LENGTH);
                    state = State.OPEN;
                    socket.write(FrameReader.frame(accepted.token()));
                    registry.authenticated(this);
                } catch (HandshakeException e) {
                    reject(ConnectionRejection.HANDSHAKE, e.getMessage());
                }
            }
            case OPEN -> onDataFrame(payload, trailer);
            case CLOSED -> { }
        }
    }

    private void onDataFrame(byte[] payload, byte[] mac) {
        if (!frameMac.verify(payload, mac)) {
            reject(ConnectionRejection.MAC, "frame " + (frameMac.sequence() - 1) + " fails its MAC");
            return;
        }
        PeerMessage message;
        try {
            message = ctx.codec().decode(payload);
        } catch (CodecException e) {
            reject(ConnectionRejection.MALFORMED, "undecodable message: " + e.getMessage());
            return;
        }
        ctx.metrics().received(peer, payload.length);
        try {
            handler.onMessage(peer, message);
        } catch (RuntimeException e) {
            // A bug in the handler is not the peer's fault: keep the connection, show the bug.
            LOG.errorf(e, "inbound handler failed on %s from peer %d", WireCodec.kind(message), peer);
        }
    }

    private void reject(ConnectionRejection reason, String detail) {
        if (state == State.CLOSED) return;
        ctx.metrics().rejected(reason);
        String who = peer >= 0 ? ctx.describe(peer)
                : handshake.claimedClient() >= 0 ? socket.remoteAddress() + " (claiming index " + handshake.claimedClient() + ")"
                : String.valueOf(socket.remoteAddress());
        LOG.warnf("closing inbound connection from %s: %s (%s)", who, reason.tag(), detail);
        close();
    }

    /** Closes from a thread other than the socket's (the network shutting down, a newer connection replacing this one). */
    void closeFromAnyThread() {
        context.runOnContext(v -> close());
    }

    void close() {
        if (state == State.CLOSED) return;
        state = State.CLOSED;
        reader.stop();
        ctx.vertx().cancelTimer(timer);
        socket.close();
    }

    private void onClosed() {
        state = State.CLOSED;
        reader.stop();
        ctx.vertx().cancelTimer(timer);
        registry.closed(this);
    }
}
