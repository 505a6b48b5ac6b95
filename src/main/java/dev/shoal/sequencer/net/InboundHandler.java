package dev.shoal.sequencer.net;

/** Receives the messages of authenticated peers, on a Vert.x event-loop thread (so it must not block). */
@FunctionalInterface
public interface InboundHandler {
    /**
     * @param from    committee index of the peer, proven by the handshake and the per-frame MAC
     * @param message the decoded message
     */
    void onMessage(int from, PeerMessage message);
}
