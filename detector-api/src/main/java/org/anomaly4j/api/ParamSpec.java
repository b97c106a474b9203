package org.anomaly4j.api;

import java.util.Objects;

/**
 * One configurable parameter of a detector, as listed by {@code anomaly4j list} and accepted by
 * {@code --param name=value}.
 *
 * @param name         parameter name, as used in {@code --param}
 * @param type         a short type description ("int", "double in (0,1)", "cpu|cuda")
 * @param defaultValue the default, as a string
 * @param description  one line saying what it does
 */
public record ParamSpec(String name, String type, String defaultValue, String description) {
    public ParamSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(description, "description");
    }
}
