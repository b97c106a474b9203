package org.anomaly4j.examples.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A small parser: {@code --key value}, {@code --key=value}, repeated {@code --param k=v}, flags, positionals. */
final class Args {
    private final Map<String, String> options = new LinkedHashMap<>();
    private final Map<String, String> params = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();
    private final Set<String> used = new HashSet<>();

    Args(String[] argv, int from, Set<String> flags) {
        for (int i = from; i < argv.length; i++) {
            String a = argv[i];
            if (a.startsWith("--")) {
                String key = a.substring(2);
                String value;
                int eq = key.indexOf('=');
                if (eq >= 0) {
                    value = key.substring(eq + 1);
                    key = key.substring(0, eq);
                } else if (flags.contains(key)) {
                    value = "true";
                } else {
                    if (i + 1 >= argv.length) {
                        throw new UsageException("option --" + key + " needs a value");
                    }
                    value = argv[++i];
                }
                if (key.equals("param")) {
                    int e = value.indexOf('=');
                    if (e <= 0) {
                        throw new UsageException("--param takes name=value, got '" + value + "'");
                    }
                    params.put(value.substring(0, e), value.substring(e + 1));
                } else {
                    if (options.put(key, value) != null) {
                        throw new UsageException("option --" + key + " given twice");
                    }
                }
            } else {
                positional.add(a);
            }
        }
    }

    boolean has(String key) {
        used.add(key);
        return options.containsKey(key);
    }

    String get(String key, String def) {
        used.add(key);
        return options.getOrDefault(key, def);
    }

    String require(String key) {
        used.add(key);
        String v = options.get(key);
        if (v == null) {
            throw new UsageException("missing required option --" + key);
        }
        return v;
    }

    Path path(String key) {
        return Path.of(require(key));
    }

    int integer(String key, int def) {
        String v = get(key, null);
        try {
            return v == null ? def : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + key + " must be an integer, got '" + v + "'");
        }
    }

    double real(String key, double def) {
        String v = get(key, null);
        try {
            return v == null ? def : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + key + " must be a number, got '" + v + "'");
        }
    }

    Map<String, String> params() {
        used.add("param");
        return params;
    }

    List<String> positional() {
        return positional;
    }

    /** Rejects options the command did not read. Call after reading all options. */
    void rejectUnknown() {
        for (String k : options.keySet()) {
            if (!used.contains(k)) {
                throw new UsageException("unknown option --" + k);
            }
        }
        if (!params.isEmpty() && !used.contains("param")) {
            throw new UsageException("this command takes no --param");
        }
    }
}
