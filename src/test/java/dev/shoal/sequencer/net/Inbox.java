package dev.shoal.sequencer.net;

import java.util.ArrayList;
import java.util.List;

/** Records what an {@link InboundHandler} received. */
final class Inbox implements InboundHandler {
    record Received(int from, PeerMessage message) {}

    private final List<Received> received = new ArrayList<>();

    @Override
    public synchronized void onMessage(int from, PeerMessage message) {
        received.add(new Received(from, message));
    }

    synchronized List<Received> all() {
        return List.copyOf(received);
    }

    synchronized List<PeerMessage> from(int peer) {
        return received.stream().filter(r -> r.from() == peer).map(Received::message).toList();
    }

    synchronized int size() {
        return received.size();
    }
}
