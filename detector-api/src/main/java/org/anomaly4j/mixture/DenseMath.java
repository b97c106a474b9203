package org.anomaly4j.mixture;

import java.util.stream.IntStream;

/**
 * Small dense numerics shared by the vector density models of this package: Cholesky factors,
 * triangular inverses, log-sum-exp, float rounding of fitted parameters and a deterministic parallel
 * loop over row ranges. Plain Java doubles on row-major arrays.
 */
public final class DenseMath {
    /** log(2 pi). */
    public static final double LOG_2PI = Math.log(2 * Math.PI);

    private DenseMath() {
    }

    /** What a parallel loop runs on one range of rows {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} on consecutive ranges of {@code n} rows, {@code grain} rows each, in parallel on
     * the common fork-join pool. Each range must only write its own rows, so results do not depend on
     * the schedule.
     */
    public static void parallelRanges(int n, int grain, RangeBody body) {
        int g = Math.max(1, grain);
        int chunks = (n + g - 1) / g;
        if (chunks <= 1) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        IntStream.range(0, chunks).parallel().forEach(c -> body.run(c * g, Math.min(n, (c + 1) * g)));
    }

    /**
     * Lower Cholesky factor {@code L} (row-major) of {@code a + jitter * I}, or {@code null} when the matrix
     * is not numerically positive definite.
     */
    public static double[] cholesky(double[] a, int d, double jitter) {
        double[] l = new double[d * d];
        for (int i = 0; i < d; i++) {
            int ri = i * d;
            for (int j = 0; j <= i; j++) {
                int rj = j * d;
                double sum = a[ri + j] + (i == j ? jitter : 0);
                for (int k = 0; k < j; k++) {
                    sum -= l[ri + k] * l[rj + k];
                }
                if (i == j) {
                    if (!(sum > 0) || !Double.isFinite(sum)) {
                        return null;
                    }
                    l[ri + i] = Math.sqrt(sum);
                } else {
                    l[ri + j] = sum / l[rj + j];
                }
            }
        }
        return l;
    }

    /**
     * The Cholesky factor of {@code a}, adding the smallest diagonal jitter {@code rel * mean(diag)},
     * {@code rel} in 0, 1e-10, 1e-9, ..., {@code maxRel}, that makes it factor; {@code null} when none does.
     * {@code jitterOut[0]} receives the jitter used.
     */
    public static double[] choleskyWithJitter(double[] a, int d, double maxRel, double[] jitterOut) {
        double[] l = cholesky(a, d, 0);
        double j = 0;
        if (l == null) {
            double meanDiag = 0;
            for (int i = 0; i < d; i++) {
                meanDiag += Math.abs(a[i * d + i]);
            }
            meanDiag = Math.max(meanDiag / d, Double.MIN_NORMAL);
            for (double rel = 1e-10; l == null && rel <= maxRel * 1.0001; rel *= 10) {
                j = rel * meanDiag;
                l = cholesky(a, d, j);
            }
        }
        if (jitterOut != null) {
            jitterOut[0] = l == null ? Double.NaN : j;
        }
        return l;
    }

    /** Inverse of a lower-triangular matrix (row-major), itself lower triangular. */
    public static double[] invertLower(double[] l, int d) {
        double[] w = new double[d * d];
        for (int c = 0; c < d; c++) { // column c of W solves L w = e_c
            w[c * d + c] = 1.0 / l[c * d + c];
            for (int i = c + 1; i < d; i++) {
                double sum = 0;
                int ri = i * d;
                for (int k = c; k < i; k++) {
                    sum -= l[ri + k] * w[k * d + c];
                }
                w[ri + c] = sum / l[ri + i];
            }
        }
        return w;
    }

    /** Column means of {@code n} row-major float rows of {@code d} values, summed in double in row order. */
    public static double[] columnMeans(float[] x, int n, int d) {
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        return mean;
    }

    /** Column means of {@code n} row-major rows of {@code d} values, summed in row order. */
    public static double[] columnMeans(double[] x, int n, int d) {
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        return mean;
    }

    /** Transpose of a square row-major matrix. */
    public static double[] transpose(double[] a, int d) {
        double[] t = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                t[j * d + i] = a[i * d + j];
            }
        }
        return t;
    }

    /** Below this, {@code Math.exp} is exactly 0 (and reaching it through the subnormal range is slow). */
    public static final double EXP_ZERO = -746;

    /** {@code Math.exp(x)}, skipping the call where the result is exactly 0. */
    public static double exp(double x) {
        return x < EXP_ZERO ? 0.0 : Math.exp(x);
    }

    /**
     * {@code log(sum(exp(v[off .. off+len))))}, stable; {@code -inf} when every term is {@code -inf}, NaN
     * when a term is NaN.
     */
    public static double logSumExp(double[] v, int off, int len) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) {
            double x = v[off + i];
            if (x > max || Double.isNaN(x)) { // not Math.max: its -0.0 handling is slow in this hot loop
                max = x;
                if (Double.isNaN(x)) {
                    return x;
                }
            }
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double s = 0;
        for (int i = 0; i < len; i++) {
            s += exp(v[off + i] - max);
        }
        return max + Math.log(s);
    }

    /** The values rounded to float32 and back: what a saved model (float32 tensors) restores exactly. */
    public static double[] roundToFloat(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    /** Float copy. */
    public static float[] toFloats(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    /** Double copy. */
    public static double[] toDoubles(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    /** Checks a row-major matrix argument. */
    public static void checkRows(float[] rows, int n, int d, int minRows) {
        if (d < 1 || n < minRows || rows == null || rows.length != (long) n * d) {
            throw new IllegalArgumentException("need at least " + minRows + " rows of d >= 1 values in n*d floats, got n="
                    + n + ", d=" + d + ", length=" + (rows == null ? "null" : rows.length));
        }
        for (int i = 0; i < rows.length; i++) {
            if (!Float.isFinite(rows[i])) {
                throw new IllegalArgumentException("non-finite feature value " + rows[i] + " in row " + i / d
                        + ", column " + i % d);
            }
        }
    }
}
