package dev.shoal.sequencer.api.problem;

/** A request body that parses but says something invalid; mapped to 400 with this message as the detail. */
public final class BadRequestProblem extends RuntimeException {
    public BadRequestProblem(String message) {
        super(message, null, false, false);
    }
}
