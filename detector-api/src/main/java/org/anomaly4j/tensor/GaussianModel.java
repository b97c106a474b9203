package org.anomaly4j.tensor;

import java.util.Arrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.anomaly4j.mixture.DenseMath;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One multivariate Gaussian fitted to feature vectors: mean, covariance (see
 * {@link CovarianceEstimator}), a Cholesky factor of the covariance, its log-determinant, and
 * (squared) Mahalanobis distances of query rows. Used by the Gaussian/Mahalanobis density detector,
 * by GMM-style scoring and wherever one Gaussian per image (not per position, see
 * {@link GaussianField}) is enough.
 *
 * <p>Everything is held in plain Java doubles (no native memory, nothing to close). The inverse is
 * never formed explicitly for scoring: distances are {@code ||L^-1 (x - mean)||^2} with {@code L} the
 * Cholesky factor, which cannot go negative. A covariance that is not numerically positive definite
 * (too few samples for the dimension with {@link CovarianceEstimator#ridge(double) ridge(0)}) is
 * regularised with the smallest jitter {@code j * mean(diag)}, {@code j} in 1e-10, 1e-9, ... 1e-4, that
 * makes it factor; {@link #jitter()} reports what was added (0 normally), and beyond that the fit fails
 * with a message suggesting Ledoit–Wolf.
 *
 * <p>Thread-safe (immutable).
 */
public final class GaussianModel {
    private static final Logger LOG = LoggerFactory.getLogger(GaussianModel.class);

    private final int d;
    private final double[] mean;
    private final double[] cov;
    private final double[] invChol; // W = L^-1, lower triangular, row-major d x d
    private final double logDet;
    private final double shrinkage;
    private final double jitter;

    private GaussianModel(double[] mean, double[] cov, double shrinkage) {
        this.d = mean.length;
        this.mean = mean;
        this.cov = cov;
        this.shrinkage = shrinkage;
        double meanDiag = 0;
        for (int i = 0; i < d; i++) {
            meanDiag += cov[i * d + i];
        }
        meanDiag /= d;
        double[] l = LinAlg.cholesky(cov, d, 0);
        double j = 0;
        for (double rel = 1e-10; l == null && meanDiag > 0 && rel <= 1e-4; rel *= 10) {
            j = rel * meanDiag;
            l = LinAlg.cholesky(cov, d, j);
        }
        if (l == null) {
            throw new IllegalArgumentException("covariance (" + d + "x" + d + ") is not positive definite even with "
                    + "jitter 1e-4*mean(diag): use CovarianceEstimator.ledoitWolf() or ridge(eps > 0), or more samples");
        }
        if (j > 0) {
            LOG.warn("covariance {}x{} needed jitter {} on the diagonal to factor", d, d, j);
        }
        this.jitter = j;
        double ld = 0;
        for (int i = 0; i < d; i++) {
            ld += Math.log(l[i * d + i]);
        }
        this.logDet = 2 * ld;
        this.invChol = LinAlg.invertLower(l, d);
    }

    /**
     * Fits a Gaussian to {@code n} samples of dimension {@code d}.
     *
     * @param rows      row-major samples, {@code n * d} values
     * @param n         number of samples (at least 2)
     * @param d         dimension
     * @param estimator covariance estimator
     */
    public static GaussianModel fit(float[] rows, int n, int d, CovarianceEstimator estimator) {
        if (n < 2 || d < 1 || rows.length != (long) n * d) {
            throw new IllegalArgumentException("need n >= 2 samples of d >= 1 values in " + n + "*" + d
                    + " floats, got n=" + n + ", d=" + d + ", length=" + rows.length);
        }
        double[] mean = DenseMath.columnMeans(rows, n, d);
        double[] s = new double[d * d]; // Z'Z, lower triangle first
        double[] z = new double[d];
        double sumNorm4 = 0;
        for (int k = 0; k < n; k++) {
            double norm2 = 0;
            for (int i = 0; i < d; i++) {
                z[i] = rows[k * d + i] - mean[i];
                norm2 += z[i] * z[i];
            }
            sumNorm4 += norm2 * norm2;
            for (int i = 0; i < d; i++) {
                double zi = z[i];
                int row = i * d;
                for (int j = 0; j <= i; j++) {
                    s[row + j] += zi * z[j];
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < i; j++) {
                s[j * d + i] = s[i * d + j];
            }
        }
        return fromScatter(mean, s, n, sumNorm4, estimator);
    }

    /** Fits a Gaussian to samples given as rows of equal length. */
    public static GaussianModel fit(float[][] rows, CovarianceEstimator estimator) {
        int d = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[rows.length * d];
        for (int k = 0; k < rows.length; k++) {
            if (rows[k].length != d) {
                throw new IllegalArgumentException("row " + k + " has " + rows[k].length + " values, expected " + d);
            }
            System.arraycopy(rows[k], 0, flat, k * d, d);
        }
        return fit(flat, rows.length, d, estimator);
    }

    /** The Gaussian with this mean and covariance (row-major d x d), e.g. restored from a saved model. */
    public static GaussianModel of(double[] mean, double[] covariance) {
        int d = mean.length;
        if (d == 0 || covariance.length != d * d) {
            throw new IllegalArgumentException("covariance must be " + d + "x" + d + ", got " + covariance.length + " values");
        }
        return new GaussianModel(mean.clone(), covariance.clone(), 0);
    }

    /** Mean and covariance from the centred scatter matrix {@code s = Z'Z} of {@code n} samples. */
    static GaussianModel fromScatter(double[] mean, double[] s, long n, double sumNorm4, CovarianceEstimator est) {
        int d = mean.length;
        double[] cov = new double[d * d];
        double shrink = 0;
        if (est.kind() == CovarianceEstimator.Kind.RIDGE) {
            for (int i = 0; i < d * d; i++) {
                cov[i] = s[i] / (n - 1);
            }
            for (int i = 0; i < d; i++) {
                cov[i * d + i] += est.value();
            }
        } else {
            double trace = 0;
            double frob2 = 0;
            for (int i = 0; i < d * d; i++) {
                cov[i] = s[i] / n;
                frob2 += cov[i] * cov[i];
            }
            for (int i = 0; i < d; i++) {
                trace += cov[i * d + i];
            }
            shrink = est.kind() == CovarianceEstimator.Kind.SHRUNK ? est.value()
                    : CovarianceEstimator.ledoitWolfShrinkage(n, d, trace, frob2, sumNorm4);
            double mu = trace / d;
            for (int i = 0; i < d * d; i++) {
                cov[i] *= 1.0 - shrink;
            }
            for (int i = 0; i < d; i++) {
                cov[i * d + i] += shrink * mu;
            }
        }
        return new GaussianModel(mean, cov, shrink);
    }

    /** The dimension. */
    public int dimension() {
        return d;
    }

    /** The mean (a copy). */
    public double[] mean() {
        return mean.clone();
    }

    /** The covariance, row-major d x d (a copy; without {@link #jitter()}). */
    public double[] covariance() {
        return cov.clone();
    }

    /** The precision (inverse covariance), row-major d x d, computed as {@code L^-T L^-1}. */
    public double[] precision() {
        double[] p = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double acc = 0;
                for (int k = i; k < d; k++) { // (W'W)_ij = sum_k W_ki W_kj, W lower: k >= max(i,j) = i
                    acc += invChol[k * d + i] * invChol[k * d + j];
                }
                p[i * d + j] = acc;
                p[j * d + i] = acc;
            }
        }
        return p;
    }

    /** {@code log det(covariance)} (of the factored matrix, jitter included). */
    public double logDeterminant() {
        return logDet;
    }

    /** The shrinkage coefficient used (Ledoit–Wolf's estimate, the fixed value, or 0 for ridge / restored). */
    public double shrinkage() {
        return shrinkage;
    }

    /** Diagonal jitter that was needed to factor the covariance (0 when none). */
    public double jitter() {
        return jitter;
    }

    /** Squared Mahalanobis distance of one vector (scikit-learn's {@code mahalanobis}). */
    public double squaredMahalanobis(float[] x) {
        if (x.length != d) {
            throw new IllegalArgumentException("query has " + x.length + " values, expected " + d);
        }
        return squared(x, 0, new double[d]);
    }

    /** Squared Mahalanobis distances of {@code n} row-major query rows (plain Java). */
    public double[] squaredMahalanobis(float[] rows, int n) {
        if (rows.length != (long) n * d) {
            throw new IllegalArgumentException("expected " + n + "x" + d + " values, got " + rows.length);
        }
        double[] out = new double[n];
        double[] diff = new double[d];
        for (int k = 0; k < n; k++) {
            out[k] = squared(rows, k * d, diff);
        }
        return out;
    }

    private double squared(float[] x, int off, double[] diff) {
        for (int i = 0; i < d; i++) {
            diff[i] = x[off + i] - mean[i];
        }
        double acc = 0;
        for (int i = 0; i < d; i++) {
            int row = i * d;
            double y = 0;
            for (int j = 0; j <= i; j++) {
                y += invChol[row + j] * diff[j];
            }
            acc += y * y;
        }
        return acc;
    }

    /**
     * Squared Mahalanobis distances of query rows {@code [m, d]} on their device, in float32: one
     * {@code [m,d] x [d,d]} product with the whitening matrix {@code L^-T}. The result {@code [m]} belongs
     * to the query's manager; intermediates are freed.
     */
    public NDArray squaredMahalanobis(NDArray rows) {
        Shape s = rows.getShape();
        if (s.dimension() != 2 || s.get(1) != d) {
            throw new IllegalArgumentException("query must be [m, " + d + "], got " + s);
        }
        NDManager owner = rows.getManager();
        try (NDManager tmp = owner.newSubManager()) {
            rows.tempAttach(tmp); // every intermediate now lands in tmp; rows returns to its owner on close
            float[] wt = new float[d * d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j <= i; j++) {
                    wt[j * d + i] = (float) invChol[i * d + j];
                }
            }
            NDArray w = tmp.create(wt, new Shape(d, d));
            NDArray mu = tmp.create(toFloats(mean));
            NDArray x = rows.getDataType() == DataType.FLOAT32 ? rows : rows.toType(DataType.FLOAT32, false);
            NDArray out = x.sub(mu).matMul(w).square().sum(new int[] {1});
            out.attach(owner);
            return out;
        }
    }

    /** Log-density of {@code x}: {@code -(d log 2pi + log det + maha^2) / 2}. */
    public double logLikelihood(float[] x) {
        return -0.5 * (d * Math.log(2 * Math.PI) + logDet + squaredMahalanobis(x));
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    @Override
    public String toString() {
        return "GaussianModel[d=" + d + ", shrinkage=" + shrinkage + ", logDet=" + logDet
                + (jitter > 0 ? ", jitter=" + jitter : "") + ", mean=" + Arrays.toString(Arrays.copyOf(mean, Math.min(d, 4)))
                + (d > 4 ? "..." : "") + "]";
    }
}
