package dev.shoal.sequencer.core.validator;

/** One message to send, and to whom. */
public record Outbound(Destination destination, Message message) {}
