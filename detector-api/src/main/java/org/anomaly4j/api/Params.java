package org.anomaly4j.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * String parameters (from the CLI, JShell or a saved model) checked against a detector's
 * {@link ParamSpec}s: unknown names and unparsable values raise {@link InvalidConfigException}
 * naming the parameter; missing ones take their defaults.
 */
public final class Params {
    private final Map<String, String> values;

    private Params(Map<String, String> values) {
        this.values = values;
    }

    /** Validates names against {@code specs} and fills in defaults. */
    public static Params of(Map<String, String> given, List<ParamSpec> specs) {
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> known = specs.stream().map(ParamSpec::name).collect(Collectors.toSet());
        for (String k : given.keySet()) {
            if (!known.contains(k)) {
                throw new InvalidConfigException(k, "unknown parameter; known: " + String.join(", ", known));
            }
        }
        for (ParamSpec s : specs) {
            out.put(s.name(), given.getOrDefault(s.name(), s.defaultValue()));
        }
        return new Params(out);
    }

    public String string(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new InvalidConfigException(name, "missing");
        }
        return v.trim();
    }

    public int integer(String name) {
        String v = string(name);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(name, "not an integer: '" + v + "'");
        }
    }

    public long longValue(String name) {
        String v = string(name);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(name, "not an integer: '" + v + "'");
        }
    }

    public double real(String name) {
        String v = string(name);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(name, "not a number: '" + v + "'");
        }
    }

    public boolean bool(String name) {
        String v = string(name).toLowerCase(java.util.Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new InvalidConfigException(name, "not true/false: '" + v + "'");
    }

    /** Checks a condition, naming the parameter when it fails. */
    public static void require(boolean ok, String parameter, String problem) {
        if (!ok) {
            throw new InvalidConfigException(parameter, problem);
        }
    }
}
