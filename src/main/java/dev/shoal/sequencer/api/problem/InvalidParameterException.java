package dev.shoal.sequencer.api.problem;

/** A query or path parameter that does not parse or is out of range; mapped to 400 naming the parameter. */
public final class InvalidParameterException extends RuntimeException {
    private final String parameter;

    public InvalidParameterException(String parameter, String reason) {
        super("parameter '" + parameter + "' " + reason, null, false, false);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
