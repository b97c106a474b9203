package org.anomaly4j.tensor;

import java.util.Arrays;
import java.util.stream.IntStream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Principal component analysis as scikit-learn 1.2's {@code PCA(n_components, random_state=0)}: mean,
 * components (rows, unit length), explained variance ({@code S^2/(n-1)}) and its ratio, optional
 * whitening, transform and inverse transform. Like scikit-learn's default {@code svd_solver="auto"},
 * {@link #fit} takes scikit-learn's randomized solver where scikit-learn would (more than 500 samples or
 * dimensions, {@code k < 0.8 min(n, d)}; here also {@code n >= d} and {@code k + 10 <= d}) and reproduces it
 * with {@code random_state=0} ({@link PcaSolver#randomized}): the same components as a scikit-learn
 * pipeline, which a model ported from Python expects. Otherwise, and always in {@link #fitFull}, the
 * components are the exact ones (as {@code svd_solver="full"}). Used to reduce feature dimension (DFR, Gaussian-AD
 * style detectors) and by tests that need a known subspace.
 *
 * <p>Exact components are fitted from the {@code d x d} covariance (or the {@code n x n} Gram matrix when {@code n < d}),
 * formed by one float64 matrix product per chunk of rows on the tensor engine, and its top eigenpairs:
 * a full symmetric eigen-decomposition for small matrices, block subspace iteration with Rayleigh&ndash;Ritz
 * steps (to a residual of {@code 1e-6} of the largest eigenvalue) when a few components are wanted out of
 * many dimensions. That gives the same components as the SVD of the centred data where the spectrum has a
 * gap after the last kept component (elsewhere, a subspace as good as scikit-learn's randomized solver's).
 * 6,000 samples of 784 pixels to 50 components take a fraction of a second. Signs follow scikit-learn
 * 1.2's {@code svd_flip(u_based_decision=True)}: each component is oriented so that the training sample
 * with the largest absolute projection on it projects positively. The fitted parts are Java doubles;
 * {@link #transform(float[], int)} is plain Java (register-blocked, parallel over rows for large inputs,
 * each row's result independent of the others). Immutable and thread-safe.
 */
public final class Pca {
    /** The {@code random_state} of scikit-learn's randomized solver that {@link #fit} reproduces. */
    public static final long RANDOM_STATE = 0;

    private final int d;
    private final int k;
    private final double[] mean;
    private final double[] components; // k x d
    private final double[] variance; // k
    private final double totalVariance;
    private final boolean whiten;

    private Pca(double[] mean, double[] components, double[] variance, double totalVariance, boolean whiten) {
        this.d = mean.length;
        this.k = variance.length;
        this.mean = mean;
        this.components = components;
        this.variance = variance;
        this.totalVariance = totalVariance;
        this.whiten = whiten;
    }

    /** Fits {@code components} principal components to {@code n} row-major samples of dimension {@code d}. */
    public static Pca fit(float[] rows, int n, int d, int components, boolean whiten) {
        check(rows, n, d);
        if (components < 1 || components > Math.min(n, d)) {
            throw new IllegalArgumentException("components must be in [1, min(n, d) = " + Math.min(n, d) + "], got "
                    + components);
        }
        return fitInternal(rows, n, d, components, -1, whiten);
    }

    /**
     * Fits the fewest components whose cumulative explained variance ratio exceeds {@code fraction}
     * (scikit-learn's float {@code n_components}, {@code 0 < fraction < 1}).
     */
    public static Pca fitVariance(float[] rows, int n, int d, double fraction, boolean whiten) {
        check(rows, n, d);
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("variance fraction must be in (0, 1), got " + fraction);
        }
        return fitInternal(rows, n, d, -1, fraction, whiten);
    }

    /** A PCA restored from its parts (as saved from the accessors). */
    public static Pca of(double[] mean, double[] components, double[] explainedVariance, double totalVariance,
            boolean whiten) {
        if (components.length != mean.length * explainedVariance.length) {
            throw new IllegalArgumentException("components must be " + explainedVariance.length + "x" + mean.length);
        }
        return new Pca(mean.clone(), components.clone(), explainedVariance.clone(), totalVariance, whiten);
    }

    private static void check(float[] rows, int n, int d) {
        if (n < 2 || d < 1 || rows.length != (long) n * d) {
            throw new IllegalArgumentException("need n >= 2 samples of d >= 1 values in n*d floats, got n=" + n
                    + ", d=" + d + ", length=" + rows.length);
        }
    }

    private static Pca fitInternal(float[] rows, int n, int d, int kWanted, double fraction, boolean whiten) {
        PcaSolver.Result r = PcaSolver.solve(rows, n, d, kWanted, fraction, false, RANDOM_STATE);
        return new Pca(r.mean(), r.components(), r.variance(), r.total(), whiten);
    }

    /** {@link #fit} with the full eigen-decomposition whatever the size (the exact reference, for tests). */
    static Pca fitFull(float[] rows, int n, int d, int components, boolean whiten) {
        check(rows, n, d);
        PcaSolver.Result r = PcaSolver.solve(rows, n, d, components, -1, true);
        return new Pca(r.mean(), r.components(), r.variance(), r.total(), whiten);
    }

    /** Input dimension. */
    public int dimension() {
        return d;
    }

    /** Number of components kept. */
    public int components() {
        return k;
    }

    /** Whether {@link #transform} scales each component to unit variance. */
    public boolean whiten() {
        return whiten;
    }

    /** The training mean (a copy). */
    public double[] mean() {
        return mean.clone();
    }

    /** The components as row-major {@code k x d} (each row unit length; a copy). */
    public double[] componentMatrix() {
        return components.clone();
    }

    /** Variance along each component, {@code S^2 / (n - 1)} (a copy). */
    public double[] explainedVariance() {
        return variance.clone();
    }

    /** Total variance of the training data (trace of its covariance). */
    public double totalVariance() {
        return totalVariance;
    }

    /** Explained variance divided by the total variance. */
    public double[] explainedVarianceRatio() {
        return Arrays.stream(variance).map(v -> v / totalVariance).toArray();
    }

    /**
     * Projects {@code n} row-major rows onto the components: {@code n x k} values. Each row's projection
     * is {@code sum_j (x_j - mean_j) c_j} summed in order of {@code j} in double (divided by the component's
     * standard deviation when whitening), whatever the other rows, so one row alone and in a batch agree
     * bit for bit. Large inputs are split over the common fork-join pool.
     */
    public float[] transform(float[] rows, int n) {
        if (rows.length != (long) n * d) {
            throw new IllegalArgumentException("expected " + n + "x" + d + " values, got " + rows.length);
        }
        float[] out = new float[n * k];
        double[] scale = new double[k];
        for (int c = 0; c < k; c++) {
            scale[c] = whiten ? Math.sqrt(variance[c]) : 1;
        }
        long work = (long) n * d * k;
        int blocks = (n + 3) / 4;
        int tasks = work < (1L << 20) ? 1 : Math.min(blocks, 8 * Runtime.getRuntime().availableProcessors());
        if (tasks <= 1) {
            transformRows(rows, 0, n, scale, out);
        } else {
            int per = (blocks + tasks - 1) / tasks * 4;
            IntStream.range(0, (n + per - 1) / per).parallel()
                    .forEach(t -> transformRows(rows, t * per, Math.min(n, (t + 1) * per), scale, out));
        }
        return out;
    }

    /** Rows {@code [from, to)}, four rows by four components at a time (a missing row repeats the last). */
    private void transformRows(float[] rows, int from, int to, double[] scale, float[] out) {
        double[] z = new double[4 * d];
        for (int r = from; r < to; r += 4) {
            int count = Math.min(4, to - r);
            for (int t = 0; t < 4; t++) {
                int src = (r + Math.min(t, count - 1)) * d;
                for (int j = 0; j < d; j++) {
                    z[t * d + j] = rows[src + j] - mean[j];
                }
            }
            for (int c = 0; c < k; c += 4) {
                int c0 = c * d;
                int c1 = Math.min(c + 1, k - 1) * d;
                int c2 = Math.min(c + 2, k - 1) * d;
                int c3 = Math.min(c + 3, k - 1) * d;
                double s00 = 0, s01 = 0, s02 = 0, s03 = 0;
                double s10 = 0, s11 = 0, s12 = 0, s13 = 0;
                double s20 = 0, s21 = 0, s22 = 0, s23 = 0;
                double s30 = 0, s31 = 0, s32 = 0, s33 = 0;
                int z1 = d;
                int z2 = 2 * d;
                int z3 = 3 * d;
                for (int j = 0; j < d; j++) {
                    double x0 = z[j];
                    double x1 = z[z1 + j];
                    double x2 = z[z2 + j];
                    double x3 = z[z3 + j];
                    double w0 = components[c0 + j];
                    double w1 = components[c1 + j];
                    double w2 = components[c2 + j];
                    double w3 = components[c3 + j];
                    s00 += x0 * w0;
                    s01 += x0 * w1;
                    s02 += x0 * w2;
                    s03 += x0 * w3;
                    s10 += x1 * w0;
                    s11 += x1 * w1;
                    s12 += x1 * w2;
                    s13 += x1 * w3;
                    s20 += x2 * w0;
                    s21 += x2 * w1;
                    s22 += x2 * w2;
                    s23 += x2 * w3;
                    s30 += x3 * w0;
                    s31 += x3 * w1;
                    s32 += x3 * w2;
                    s33 += x3 * w3;
                }
                double[] s = {s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33};
                for (int t = 0; t < count; t++) {
                    for (int u = 0; u < 4 && c + u < k; u++) {
                        double acc = s[t * 4 + u];
                        out[(r + t) * k + c + u] = (float) (whiten ? acc / scale[c + u] : acc);
                    }
                }
            }
        }
    }

    /** Maps {@code n x k} projections back to {@code n x d} input space. */
    public float[] inverseTransform(float[] z, int n) {
        if (z.length != (long) n * k) {
            throw new IllegalArgumentException("expected " + n + "x" + k + " values, got " + z.length);
        }
        float[] out = new float[n * d];
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < d; j++) {
                double acc = mean[j];
                for (int c = 0; c < k; c++) {
                    double zc = whiten ? z[s * k + c] * Math.sqrt(variance[c]) : z[s * k + c];
                    acc += zc * components[c * d + j];
                }
                out[s * d + j] = (float) acc;
            }
        }
        return out;
    }

    /**
     * Projects rows {@code [m, d]} on their device (float32, one matrix product): {@code [m, k]} in the
     * rows' manager.
     */
    public NDArray transform(NDArray rows) {
        Shape s = rows.getShape();
        if (s.dimension() != 2 || s.get(1) != d) {
            throw new IllegalArgumentException("rows must be [m, " + d + "], got " + s);
        }
        NDManager owner = rows.getManager();
        try (NDManager tmp = owner.newSubManager()) {
            rows.tempAttach(tmp);
            float[] pt = new float[d * k]; // d x k, whitening folded in
            for (int c = 0; c < k; c++) {
                double scale = whiten ? 1 / Math.sqrt(variance[c]) : 1;
                for (int j = 0; j < d; j++) {
                    pt[j * k + c] = (float) (components[c * d + j] * scale);
                }
            }
            float[] mu = new float[d];
            for (int j = 0; j < d; j++) {
                mu[j] = (float) mean[j];
            }
            NDArray out = rows.toType(DataType.FLOAT32, false).sub(tmp.create(mu)).matMul(tmp.create(pt, new Shape(d, k)));
            out.attach(owner);
            return out;
        }
    }
}
