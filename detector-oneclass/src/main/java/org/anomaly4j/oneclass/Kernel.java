package org.anomaly4j.oneclass;

import java.util.Locale;

import org.anomaly4j.api.InvalidConfigException;

/**
 * The kernels of {@link OcSvm} and {@link Svdd}, as libsvm and scikit-learn define them:
 * <ul>
 *   <li>{@link #RBF}: {@code exp(-gamma * |x - y|^2)}</li>
 *   <li>{@link #LINEAR}: {@code x . y}</li>
 *   <li>{@link #POLY}: {@code (gamma * x . y + coef0)^degree}</li>
 *   <li>{@link #SIGMOID}: {@code tanh(gamma * x . y + coef0)}</li>
 * </ul>
 */
public enum Kernel {
    /** Gaussian radial basis function. */
    RBF,
    /** Plain dot product. */
    LINEAR,
    /** Polynomial. */
    POLY,
    /** Hyperbolic tangent (not positive definite in general). */
    SIGMOID;

    /** The name used in parameters ({@code rbf}, {@code linear}, {@code poly}, {@code sigmoid}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a kernel name.
     *
     * @throws InvalidConfigException naming {@code parameter}
     */
    public static Kernel parse(String name, String parameter) {
        for (Kernel k : values()) {
            if (k.id().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return k;
            }
        }
        throw new InvalidConfigException(parameter, "must be rbf, linear, poly or sigmoid, got '" + name + "'");
    }
}
