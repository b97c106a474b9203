package org.anomaly4j.oneclass;

import java.util.List;
import java.util.Locale;

import org.anomaly4j.api.InvalidConfigException;
import org.anomaly4j.api.ParamSpec;
import org.anomaly4j.api.Params;
import org.anomaly4j.features.FeatureSpec;

/** The parameters {@link OcSvmConfig} and {@link SvddConfig} share, parsed and validated once. */
final class KernelParams {
    /** {@code gamma = 1 / (d Var(X))}, scikit-learn's default. */
    static final String SCALE = "scale";
    /** {@code gamma = 1 / d}. */
    static final String AUTO = "auto";

    private KernelParams() {
    }

    /** Specs of features, kernel, gamma, degree, coef0. */
    static List<ParamSpec> kernelSpecs() {
        return List.of(
                new ParamSpec("features", "feature spec", "pixels",
                        "feature vectors: pixels[:size=WxH,channels=1|3,pca=N|F,whiten=true], hog[...], "
                                + "backbone:<spec>[...]"),
                new ParamSpec("kernel", "rbf|linear|poly|sigmoid", "rbf", "kernel function"),
                new ParamSpec("gamma", "scale|auto|double > 0", SCALE,
                        "RBF/poly/sigmoid gamma; scale = 1/(d*Var(X)), auto = 1/d (scikit-learn's meanings)"),
                new ParamSpec("degree", "int 0..20", "3", "poly degree"),
                new ParamSpec("coef0", "double", "0.0", "poly/sigmoid offset"));
    }

    /** Specs of the SMO solver settings. */
    static List<ParamSpec> solverSpecs() {
        return List.of(
                new ParamSpec("tol", "double > 0", "0.001", "stopping tolerance on the maximal KKT violation (libsvm eps)"),
                new ParamSpec("shrinking", "true|false", "true", "libsvm's shrinking heuristic"),
                new ParamSpec("cache_mb", "double > 0", "200", "kernel-row cache size in MiB"),
                new ParamSpec("max_iter", "int, -1 = no limit", "-1", "SMO iteration limit"),
                new ParamSpec("seed", "long", "0", "seed of a random backbone in the features (else recorded only)"));
    }

    /** The canonical feature spec string. */
    static String features(String spec) {
        return FeatureSpec.parse(spec).toString();
    }

    /** The canonical gamma: {@code scale}, {@code auto} or a positive number. */
    static String gamma(String g) {
        String t = g == null ? "" : g.trim().toLowerCase(Locale.ROOT);
        if (t.equals(SCALE) || t.equals(AUTO)) {
            return t;
        }
        double v;
        try {
            v = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new InvalidConfigException("gamma", "must be scale, auto or a number > 0, got '" + g + "'");
        }
        Params.require(v > 0 && Double.isFinite(v), "gamma", "must be scale, auto or a number > 0, got '" + g + "'");
        return Double.toString(v);
    }

    static void checkDegree(int degree) {
        Params.require(degree >= 0 && degree <= 20, "degree", "must be in 0..20, got " + degree);
    }

    static void checkCoef0(double coef0) {
        Params.require(Double.isFinite(coef0), "coef0", "must be finite, got " + coef0);
    }

    static void checkSolver(double tol, double cacheMb, int maxIter) {
        Params.require(tol > 0 && Double.isFinite(tol), "tol", "must be > 0, got " + tol);
        Params.require(cacheMb > 0 && Double.isFinite(cacheMb), "cache_mb", "must be > 0, got " + cacheMb);
        Params.require(maxIter == -1 || maxIter >= 1, "max_iter", "must be -1 (no limit) or >= 1, got " + maxIter);
    }

    /** The kernel with gamma resolved on the training rows. */
    static KernelFunction resolve(Kernel kernel, String gamma, int degree, double coef0, float[] x, int n, int d) {
        double g = switch (gamma) {
            case SCALE -> OneClassSolution.scaleGamma(x, n, d);
            case AUTO -> 1.0 / d;
            default -> Double.parseDouble(gamma);
        };
        return new KernelFunction(kernel, Doubles.round(g), degree, coef0);
    }
}
