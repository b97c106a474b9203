package org.anomaly4j.tensor;

/** Small dense linear algebra on row-major double arrays (Cholesky, triangular inverse) for the Gaussian fits. */
final class LinAlg {
    private LinAlg() {
    }

    /**
     * Cholesky factor {@code L} (lower, row-major) of {@code a + jitter*I}, or {@code null} when the matrix is
     * not numerically positive definite.
     */
    static double[] cholesky(double[] a, int d, double jitter) {
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

    /** Inverse of a lower-triangular matrix (row-major), itself lower triangular. */
    static double[] invertLower(double[] l, int d) {
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
}
