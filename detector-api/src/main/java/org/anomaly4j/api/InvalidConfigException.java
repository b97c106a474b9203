package org.anomaly4j.api;

/** A detector configuration (or one of its parameters) is invalid; the message names the parameter. */
public final class InvalidConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String parameter;

    public InvalidConfigException(String parameter, String problem) {
        super("invalid parameter '" + parameter + "': " + problem);
        this.parameter = parameter;
    }

    /** The name of the offending parameter. */
    public String parameter() {
        return parameter;
    }
}
