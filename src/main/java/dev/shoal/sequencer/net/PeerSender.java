package dev.shoal.sequencer.net;

/** Sends to one committee member (the outbound counterpart of {@link InboundHandler}); never blocks. */
@FunctionalInterface
public interface PeerSender {
    /** Queues {@code message} for the peer with committee index {@code peer}; dropped when its queue is full. */
    void send(int peer, PeerMessage message);
}
