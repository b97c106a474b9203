package org.anomaly4j.mixture;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.anomaly4j.mixture.GaussianMixture.CovarianceType;
import org.anomaly4j.tensor.Tensors;

/**
 * The heavy products of {@link GaussianMixture}'s EM for full and tied covariances, as float64 matrix
 * products on the tensor engine (scikit-learn's formulas, in batches):
 * <ul>
 *   <li>E-step: one product {@code [X, 1] [P_1 ... P_k; -mu_1'P_1 ... -mu_k'P_k]} gives every
 *       component's whitened residuals {@code P_c'(x - mu_c)}, squared and summed per component by a second
 *       product; then log-sum-exp and the responsibilities;</li>
 *   <li>M-step (full): each component's scatter {@code sum_i r_ic (x_i - mu_c)(x_i - mu_c)'}, centred as
 *       scikit-learn computes it.</li>
 * </ul>
 * Holds the training rows on the engine for the whole EM run; closed by the run.
 */
final class EngineEm implements AutoCloseable {
    private final NDManager manager;
    private final NDArray xc; // n x d, minus the column means xbar (for the M-step's moments)
    private final double[] xbar;
    private final NDArray x1; // n x (d + 1), last column ones
    private final NDArray blockSum; // k*d x k: sums each component's d squared residuals
    private final int n;
    private final int d;
    private final int k;

    EngineEm(double[] rows, int n, int d, int k) {
        this.n = n;
        this.d = d;
        this.k = k;
        manager = Tensors.newRootManager();
        try {
            NDArray x = manager.create(rows, new Shape(n, d));
            x1 = x.concat(manager.ones(new Shape(n, 1), DataType.FLOAT64), 1);
            xbar = DenseMath.columnMeans(rows, n, d);
            xc = x.sub(manager.create(xbar, new Shape(1, d)));
            x.close();
            double[] bs = new double[k * d * k];
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < d; j++) {
                    bs[(c * d + j) * k + c] = 1;
                }
            }
            blockSum = manager.create(bs, new Shape(k * d, k));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Responsibilities ({@code n x k} into {@code respOut}) of the current parameters; returns the mean
     * log-likelihood. {@code precChol}: full {@code k x d x d}, tied {@code d x d}, upper factors
     * {@code P} with {@code P P' = Sigma^-1}; {@code logDet[c] = log det P_c}.
     */
    double eStep(CovarianceType type, double[] means, double[] precChol, double[] logDet, double[] weights,
            double[] respOut) {
        int kd = k * d;
        double[] p = new double[(d + 1) * kd];
        for (int c = 0; c < k; c++) {
            int base = type == CovarianceType.FULL ? c * d * d : 0;
            for (int a = 0; a < d; a++) {
                System.arraycopy(precChol, base + a * d, p, a * kd + c * d, d);
            }
            for (int b = 0; b < d; b++) {
                double acc = 0;
                for (int a = 0; a <= b; a++) { // P upper: P[a][b] = 0 for a > b
                    acc += means[c * d + a] * precChol[base + a * d + b];
                }
                p[d * kd + c * d + b] = -acc;
            }
        }
        double[] cst = new double[k];
        for (int c = 0; c < k; c++) {
            cst[c] = Math.log(weights[c]) + logDet[c] - 0.5 * d * DenseMath.LOG_2PI;
        }
        try (NDManager t = manager.newSubManager()) {
            x1.tempAttach(t);
            NDArray y = x1.matMul(t.create(p, new Shape(d + 1, kd)));
            y.muli(y);
            NDArray lp = y.matMul(blockSum).muli(-0.5).addi(t.create(cst, new Shape(1, k)));
            NDArray mx = lp.max(new int[] {1}, true);
            NDArray e = lp.sub(mx).exp();
            NDArray sum = e.sum(new int[] {1}, true);
            double[] r = e.divi(sum).toDoubleArray();
            System.arraycopy(r, 0, respOut, 0, n * k);
            return mx.addi(sum.log()).sum().getDouble() / n;
        }
    }

    /**
     * {@code k x d x d}: each component's scatter {@code sum_i r_ic (x_i - mu_c)(x_i - mu_c)'}, from one product
     * {@code [r_1 y, ..., r_k y]' Y} of the moments {@code M_c = sum_i r_ic y_i y_i'} of the rows centred on
     * their overall mean ({@code y = x - xbar}), and, in Java, {@code M_c - m_c s_c' - s_c m_c' + R_c m_c m_c'}
     * with {@code m_c = mu_c - xbar}, {@code s_c = sum_i r_ic y_i} (from {@code sums = sum_i r_ic x_i}) and
     * {@code R_c = sum_i r_ic} ({@code rsum}): the scatter about {@code mu_c} as scikit-learn forms it, up to
     * rounding. Centring on the overall mean first keeps the moments of the order of the scatter whatever
     * the data's offset, so the subtraction loses nothing that matters in float64 (tested with an offset of
     * 1e4 against the direct sum).
     */
    double[] fullScatter(double[] mu, double[] sums, double[] rsum, double[] resp) {
        double[] m;
        try (NDManager t = manager.newSubManager()) {
            xc.tempAttach(t);
            NDArray r = t.create(resp, new Shape(n, k, 1));
            NDArray w = xc.reshape(n, 1, d).mul(r).reshape(n, (long) k * d);
            m = w.transpose().matMul(xc).toDoubleArray(); // (k d) x d: row c*d + a is sum_i r_ic y_ia y_i'
        }
        double[] mc = new double[d];
        double[] sc = new double[d];
        for (int c = 0; c < k; c++) {
            int mo = c * d;
            for (int j = 0; j < d; j++) {
                mc[j] = mu[mo + j] - xbar[j];
                sc[j] = sums[mo + j] - rsum[c] * xbar[j];
            }
            for (int a = 0; a < d; a++) {
                int row = (mo + a) * d;
                for (int b = 0; b < d; b++) {
                    m[row + b] += -mc[a] * sc[b] - sc[a] * mc[b] + rsum[c] * mc[a] * mc[b];
                }
            }
        }
        return m;
    }

    @Override
    public void close() {
        manager.close();
    }
}
