package dev.shoal.sequencer.peer;

import dev.shoal.sequencer.core.validator.Destination;
import dev.shoal.sequencer.core.validator.Outbound;
import dev.shoal.sequencer.driver.Transport;
import dev.shoal.sequencer.net.PeerMessage;
import dev.shoal.sequencer.net.PeerNetwork;

/** The consensus loop's messages onto the peer network (the driver calls it only once their records are durable). */
final class PeerTransport implements Transport {
    private final PeerNetwork network;

    PeerTransport(PeerNetwork network) {
        this.network = network;
    }

    @Override
    public void send(Outbound outbound) {
        PeerMessage m = new PeerMessage.Consensus(outbound.message());
        if (outbound.destination() instanceof Destination.To to) {
            network.send(to.validator(), m);
        } else {
            network.broadcast(m);
        }
    }
}
