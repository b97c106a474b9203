package org.anomaly4j.oneclass;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The dual problems of the two kernel detectors on {@code n x d} feature rows, both solved by
 * {@link SmoSolver} with variables {@code b_i in [0, 1]} summing to a total {@code T}:
 * <ul>
 *   <li>one-class SVM (Schölkopf), exactly as libsvm's {@code solve_one_class}: {@code Q = K},
 *       {@code p = 0}, {@code T = sum of nu} (accumulated as libsvm does); decision
 *       {@code f(x) = sum b_i K(x_i, x) - rho};</li>
 *   <li>SVDD (Tax and Duin), {@code min a^T K a - sum a_i K_ii}, {@code sum a = 1},
 *       {@code 0 <= a_i <= C}, solved in the one-class scaling {@code b = a / C}, {@code T = 1 / C}:
 *       {@code Q = K}, {@code p_i = -K_ii T / 2}. Then the squared distance to the centre minus the
 *       squared radius is {@code K(x, x) + (2 / T)(rho - sum b_i K(x_i, x))}. With a kernel of
 *       constant diagonal (RBF), {@code p} is constant, the solver takes the very steps of the
 *       one-class SVM, and the SVDD score is {@code 2 / (nu n)} times the OC-SVM score.</li>
 * </ul>
 *
 * @param alpha      the optimal {@code b}, one per row
 * @param rho        the solver's threshold
 * @param total      {@code T}
 * @param iterations SMO iterations
 * @param timedOut   whether the iteration limit stopped the solver
 * @param notes      solver statistics for provenance
 */
record OneClassSolution(double[] alpha, double rho, double total, int iterations, boolean timedOut,
        Map<String, String> notes) {

    /** Solver settings shared by the two detectors. */
    record Settings(double tol, boolean shrinking, double cacheMb, int maxIterations) {
    }

    /** The one-class SVM dual with parameter {@code nu}. */
    static OneClassSolution oneClassSvm(float[] x, int n, int d, KernelFunction k, double nu, Settings s) {
        return solve(x, n, d, k, SmoSolver.nuTotal(n, nu), false, s);
    }

    /** The SVDD dual with total {@code T = 1 / C}. */
    static OneClassSolution svdd(float[] x, int n, int d, KernelFunction k, double total, Settings s) {
        return solve(x, n, d, k, total, true, s);
    }

    private static OneClassSolution solve(float[] x, int n, int d, KernelFunction k, double total, boolean svdd,
            Settings s) {
        long t0 = System.nanoTime();
        try (GramRows rows = new GramRows(x, n, d, k, s.cacheMb())) {
            long t1 = System.nanoTime();
            double[] p = new double[n];
            if (svdd) {
                double[] diag = rows.diagonal();
                for (int i = 0; i < n; i++) {
                    p[i] = -diag[i] * total / 2;
                }
            }
            SmoSolver.Result r = SmoSolver.solve(rows, p, SmoSolver.oneClassStart(n, total), 1.0, s.tol(),
                    s.shrinking(), s.maxIterations());
            Map<String, String> notes = new LinkedHashMap<>();
            notes.put("iterations", Integer.toString(r.iterations()));
            notes.put("objective", Double.toString(r.objective()));
            notes.putAll(rows.stats());
            notes.put("setup_seconds", String.format(Locale.ROOT, "%.3f", (t1 - t0) / 1e9));
            notes.put("solve_seconds", String.format(Locale.ROOT, "%.3f", (System.nanoTime() - t0) / 1e9));
            return new OneClassSolution(r.alpha(), r.rho(), total, r.iterations(), r.timedOut(), notes);
        }
    }

    /** Indices of the support vectors ({@code b_i > 0}), ascending. */
    int[] supportIndices() {
        int m = 0;
        for (double a : alpha) {
            if (a > 0) {
                m++;
            }
        }
        int[] idx = new int[m];
        for (int i = 0, k = 0; i < alpha.length; i++) {
            if (alpha[i] > 0) {
                idx[k++] = i;
            }
        }
        return idx;
    }

    /** Gamma as scikit-learn resolves {@code 'scale'}: {@code 1 / (d Var(X))}, 1 when the variance is 0. */
    static double scaleGamma(float[] x, int n, int d) {
        long count = (long) n * d;
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= count;
        double var = 0;
        for (float v : x) {
            double e = v - mean;
            var += e * e;
        }
        var /= count;
        return var > 0 ? 1.0 / (d * var) : 1.0;
    }
}
