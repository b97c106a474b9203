package org.anomaly4j.oneclass;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.ParamSpec;
import org.anomaly4j.api.Params;
import org.anomaly4j.api.ProgressListener;

/**
 * Configuration of {@link Svdd}. The slack is set either directly ({@code c}, the upper bound of each
 * dual weight, at least {@code 1/n}; {@code c >= 1} is the hard ball) or through {@code nu}, the
 * fraction of training points allowed outside the ball: {@code C = 1 / (nu n)} (used when {@code c}
 * is 0, the default).
 *
 * @param features  feature spec, canonical form
 * @param kernel    kernel function
 * @param gamma     {@code scale}, {@code auto} or a number &gt; 0
 * @param degree    poly degree
 * @param coef0     poly / sigmoid offset
 * @param nu        fraction of outliers in (0, 1] (when {@code c} is 0)
 * @param c         slack bound, 0 to derive it from {@code nu}
 * @param tol       stopping tolerance, on the same scale as the one-class SVM's
 * @param shrinking libsvm's shrinking heuristic
 * @param cacheMb   kernel-row cache, MiB
 * @param maxIter   SMO iteration limit, -1 for none
 * @param seed      seed of a randomly initialised backbone in the features; recorded in provenance
 */
public record SvddConfig(String features, Kernel kernel, String gamma, int degree, double coef0, double nu, double c,
        double tol, boolean shrinking, double cacheMb, int maxIter, long seed) implements DetectorConfig<Svdd> {

    /** The registry id. */
    public static final String TYPE = "svdd";

    static final List<ParamSpec> SPECS;

    static {
        List<ParamSpec> s = new ArrayList<>(KernelParams.kernelSpecs());
        s.add(new ParamSpec("nu", "double in (0,1]", "0.1", "fraction of training points allowed outside the ball "
                + "(C = 1/(nu n)); used when c = 0"));
        s.add(new ParamSpec("c", "0 or double >= 1/n", "0", "slack bound C of each dual weight; 0 = from nu"));
        s.addAll(KernelParams.solverSpecs());
        SPECS = List.copyOf(s);
    }

    public SvddConfig {
        features = KernelParams.features(features);
        Params.require(kernel != null, "kernel", "is required");
        gamma = KernelParams.gamma(gamma);
        KernelParams.checkDegree(degree);
        KernelParams.checkCoef0(coef0);
        Params.require(nu > 0 && nu <= 1, "nu", "must be in (0, 1], got " + nu);
        Params.require(c >= 0 && Double.isFinite(c), "c", "must be 0 (use nu) or > 0, got " + c);
        KernelParams.checkSolver(tol, cacheMb, maxIter);
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults. */
    public static SvddConfig defaults() {
        return builder().build();
    }

    /** From string parameters (CLI, saved models). */
    public static SvddConfig fromParameters(Map<String, String> given) {
        Params p = Params.of(given, SPECS);
        return new SvddConfig(p.string("features"), Kernel.parse(p.string("kernel"), "kernel"), p.string("gamma"),
                p.integer("degree"), p.real("coef0"), p.real("nu"), p.real("c"), p.real("tol"), p.bool("shrinking"),
                p.real("cache_mb"), p.integer("max_iter"), p.longValue("seed"));
    }

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public Map<String, String> toParameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("features", features);
        m.put("kernel", kernel.id());
        m.put("gamma", gamma);
        m.put("degree", Integer.toString(degree));
        m.put("coef0", Double.toString(coef0));
        m.put("nu", Double.toString(nu));
        m.put("c", Double.toString(c));
        m.put("tol", Double.toString(tol));
        m.put("shrinking", Boolean.toString(shrinking));
        m.put("cache_mb", Double.toString(cacheMb));
        m.put("max_iter", Integer.toString(maxIter));
        m.put("seed", Long.toString(seed));
        return m;
    }

    @Override
    public Svdd fit(ImageSet normals, ProgressListener listener) {
        return Svdd.fit(normals, this, listener);
    }

    /** Builder: every parameter optional. */
    public static final class Builder {
        private final Map<String, String> p = new LinkedHashMap<>();

        /** Feature spec, e.g. {@code "pixels"} or {@code "pixels:size=32x32,pca=20"}. */
        public Builder optFeatures(String spec) {
            p.put("features", spec);
            return this;
        }

        public Builder optKernel(Kernel k) {
            p.put("kernel", k.id());
            return this;
        }

        /** {@code "scale"}, {@code "auto"} or a number. */
        public Builder optGamma(String g) {
            p.put("gamma", g);
            return this;
        }

        public Builder optGamma(double g) {
            p.put("gamma", Double.toString(g));
            return this;
        }

        public Builder optDegree(int degree) {
            p.put("degree", Integer.toString(degree));
            return this;
        }

        public Builder optCoef0(double coef0) {
            p.put("coef0", Double.toString(coef0));
            return this;
        }

        public Builder optNu(double nu) {
            p.put("nu", Double.toString(nu));
            return this;
        }

        /** The slack bound C directly (overrides nu). */
        public Builder optC(double c) {
            p.put("c", Double.toString(c));
            return this;
        }

        public Builder optTol(double tol) {
            p.put("tol", Double.toString(tol));
            return this;
        }

        public Builder optShrinking(boolean on) {
            p.put("shrinking", Boolean.toString(on));
            return this;
        }

        public Builder optCacheMb(double mb) {
            p.put("cache_mb", Double.toString(mb));
            return this;
        }

        public Builder optMaxIter(int maxIter) {
            p.put("max_iter", Integer.toString(maxIter));
            return this;
        }

        public Builder optSeed(long seed) {
            p.put("seed", Long.toString(seed));
            return this;
        }

        public SvddConfig build() {
            return fromParameters(p);
        }
    }
}
