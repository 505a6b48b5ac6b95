package dev.shoal.sequencer.net;

import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Committee;
import io.vertx.core.Vertx;
import java.security.SecureRandom;

/** What every connection of one {@link PeerNetwork} shares. */
record LinkContext(Vertx vertx, Committee committee, int self, KeyPair key, NetworkSettings settings,
                   WireCodec codec, NetworkMetrics metrics, SecureRandom random) {

    String describe(int index) {
        var v = committee.validator(index);
        return "peer " + index + " (" + v.name() + (v.address().isEmpty() ? "" : " at " + v.address()) + ")";
    }
}
