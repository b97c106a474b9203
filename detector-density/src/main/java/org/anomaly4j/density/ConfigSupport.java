package org.anomaly4j.density;

import java.math.BigDecimal;
import java.util.Locale;

import org.anomaly4j.api.InvalidConfigException;
import org.anomaly4j.features.FeatureSpec;

/** Parameter parsing shared by this package's configs: canonical strings, so configs round-trip equal. */
final class ConfigSupport {
    /** The default of every {@code features} parameter. */
    static final String DEFAULT_FEATURES = "pixels";

    private ConfigSupport() {
    }

    /** The canonical form of a feature spec ({@link FeatureSpec#toString()}); invalid ones name "features". */
    static String features(String spec) {
        if (spec == null) {
            throw new InvalidConfigException(FeatureSpec.PARAMETER, "missing");
        }
        return FeatureSpec.parse(spec).toString();
    }

    /** Shortest decimal form of a double that parses back to it. */
    static String number(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** Lower-cased, trimmed text. */
    static String lower(String s) {
        return s == null ? null : s.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * A PCA size: {@code none} (0 components), a component count, or a variance fraction in (0, 1);
     * returned in canonical form.
     */
    static String pca(String parameter, String value) {
        String t = lower(value);
        if (t == null || t.isEmpty()) {
            throw new InvalidConfigException(parameter, "missing");
        }
        if (t.equals("none") || t.equals("0")) {
            return "none";
        }
        if (t.matches("[0-9]+")) {
            try {
                int k = Integer.parseInt(t);
                return Integer.toString(k);
            } catch (NumberFormatException e) {
                throw new InvalidConfigException(parameter, "component count too large: '" + value + "'");
            }
        }
        double f;
        try {
            f = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(parameter, "must be none, a component count >= 1 or a variance fraction"
                    + " in (0, 1), got '" + value + "'");
        }
        if (!(f > 0 && f < 1)) {
            throw new InvalidConfigException(parameter, "a variance fraction must be in (0, 1), got '" + value + "'");
        }
        return number(f);
    }
}
