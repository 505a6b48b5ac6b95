package dev.shoal.sequencer.driver;

import dev.shoal.sequencer.core.validator.Outbound;

/**
 * Where the driver hands messages that may leave the node (their records are durable by then).
 * A committee of one has no peers; the peer network (a later issue) implements this over Vert.x.
 */
public interface Transport {
    void send(Outbound message);

    /** For a committee of one: there is nobody to send to. */
    Transport NONE = message -> { };
}
