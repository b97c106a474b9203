package org.anomaly4j.tensor;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * Principal component analysis as scikit-learn 1.2's {@code PCA(svd_solver="full")}: mean,
 * components (rows, unit length), explained variance ({@code S^2/(n-1)}) and its ratio, optional
 * whitening, transform and inverse transform. Used to reduce feature dimension (DFR, Gaussian-AD
 * style detectors) and by tests that need a known subspace.
 *
 * <p>Computed from the eigen-decomposition of the {@code d x d} covariance (or of the {@code n x n}
 * Gram matrix when {@code n < d}), which gives the same components as the SVD of the centred data.
 * Signs follow scikit-learn 1.2's {@code svd_flip(u_based_decision=True)}: each component is oriented so
 * that the training sample with the largest absolute projection on it projects positively. Plain Java
 * doubles; immutable and thread-safe.
 */
public final class Pca {
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
        double[] mean = new double[d];
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < d; j++) {
                mean[j] += rows[s * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[][] xc = new double[n][d];
        double total = 0;
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < d; j++) {
                xc[s][j] = rows[s * d + j] - mean[j];
                total += xc[s][j] * xc[s][j];
            }
        }
        total /= n - 1;
        int r = Math.min(n, d);
        boolean gram = n < d;
        int m = gram ? n : d;
        double[][] a = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j <= i; j++) {
                double acc = 0;
                if (gram) {
                    for (int c = 0; c < d; c++) {
                        acc += xc[i][c] * xc[j][c];
                    }
                } else {
                    for (int s = 0; s < n; s++) {
                        acc += xc[s][i] * xc[s][j];
                    }
                }
                a[i][j] = acc / (n - 1);
                a[j][i] = a[i][j];
            }
        }
        EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(a, false));
        double[] lambda = eig.getRealEigenvalues();
        Integer[] order = IntStream.range(0, m).boxed().sorted(Comparator.comparingDouble(i -> -lambda[i]))
                .toArray(Integer[]::new);
        int k = kWanted;
        if (k < 0) {
            double cum = 0;
            int below = 0;
            for (int i = 0; i < r; i++) {
                cum += Math.max(lambda[order[i]], 0) / total;
                if (cum <= fraction) {
                    below++;
                }
            }
            k = Math.min(r, below + 1);
        }
        double[] comps = new double[k * d];
        double[] var = new double[k];
        for (int c = 0; c < k; c++) {
            int idx = order[c];
            var[c] = Math.max(lambda[idx], 0);
            double[] u = eig.getEigenvector(idx).toArray();
            double[] v = new double[d];
            if (gram) { // v = Xc' u, normalised
                if (!(lambda[idx] > 1e-12 * Math.max(total, Double.MIN_NORMAL))) {
                    throw new IllegalArgumentException("only " + c + " components have non-zero variance with n=" + n
                            + " samples; ask for fewer");
                }
                double norm = 0;
                for (int j = 0; j < d; j++) {
                    double acc = 0;
                    for (int s = 0; s < n; s++) {
                        acc += xc[s][j] * u[s];
                    }
                    v[j] = acc;
                    norm += acc * acc;
                }
                norm = Math.sqrt(norm);
                for (int j = 0; j < d; j++) {
                    v[j] /= norm;
                }
            } else {
                v = u;
            }
            // svd_flip(u_based_decision=True): the largest |projection| must be positive
            double best = -1;
            double sign = 1;
            for (int s = 0; s < n; s++) {
                double p = 0;
                for (int j = 0; j < d; j++) {
                    p += xc[s][j] * v[j];
                }
                if (Math.abs(p) > best) {
                    best = Math.abs(p);
                    sign = p < 0 ? -1 : 1;
                }
            }
            for (int j = 0; j < d; j++) {
                comps[c * d + j] = sign * v[j];
            }
        }
        return new Pca(mean, comps, var, total, whiten);
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

    /** Projects {@code n} row-major rows onto the components: {@code n x k} values. */
    public float[] transform(float[] rows, int n) {
        if (rows.length != (long) n * d) {
            throw new IllegalArgumentException("expected " + n + "x" + d + " values, got " + rows.length);
        }
        float[] out = new float[n * k];
        double[] diff = new double[d];
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < d; j++) {
                diff[j] = rows[s * d + j] - mean[j];
            }
            for (int c = 0; c < k; c++) {
                double acc = 0;
                for (int j = 0; j < d; j++) {
                    acc += diff[j] * components[c * d + j];
                }
                out[s * k + c] = (float) (whiten ? acc / Math.sqrt(variance[c]) : acc);
            }
        }
        return out;
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
