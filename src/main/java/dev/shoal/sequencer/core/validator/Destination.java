package dev.shoal.sequencer.core.validator;

/** Where an outgoing message goes: every other committee member, or one of them. */
public sealed interface Destination {
    /** Every committee member except ourselves. */
    record Broadcast() implements Destination {}

    /** One committee member by index. */
    record To(int validator) implements Destination {}

    Destination BROADCAST = new Broadcast();

    static Destination to(int validator) {
        return new To(validator);
    }
}
