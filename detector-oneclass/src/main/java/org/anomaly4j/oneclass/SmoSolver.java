package org.anomaly4j.oneclass;

/**
 * libsvm's SMO solver ({@code Solver::Solve}, Fan, Chen and Lin, JMLR 6, 2005) for the problems of
 * this module, which all have labels {@code y = +1}:
 *
 * <pre>
 *   min  0.5 a^T Q a + p^T a   subject to   sum(a) = const,   0 &lt;= a_i &lt;= C
 * </pre>
 *
 * from a feasible start. It is a line-by-line port: second-order working-set selection (WSS3, with
 * {@code tau = 1e-12} for non-positive curvature), the two-variable update with clipping, shrinking
 * every {@code min(l, 1000)} iterations with libsvm's unshrink rule, gradient reconstruction from
 * {@code G_bar}, and {@code rho} as the mean gradient over free variables (else the midpoint of the
 * bounds). Variables are permuted by shrinking exactly as libsvm permutes them, so the iterates (and
 * ties) follow libsvm's; kernel rows come from a {@link Rows} source in the original order.
 */
final class SmoSolver {
    private static final double TAU = 1e-12;
    private static final double INF = Double.POSITIVE_INFINITY;
    private static final byte LOWER = 0;
    private static final byte UPPER = 1;
    private static final byte FREE = 2;

    /** Rows of {@code Q} in the original variable order. */
    interface Rows {
        /** Number of variables. */
        int size();

        /** {@code Q[i, :]}, all {@link #size()} entries; the array must not be modified by the caller. */
        float[] row(int i);

        /** {@code Q[i, i]} in double. */
        double[] diagonal();

        /** A hint that these rows are about to be read (a chance to compute them in one block). */
        default void prefetch(int[] indices) {
        }

        /** Whether {@link #row} would answer without computing. */
        default boolean isCached(int i) {
            return true;
        }

        /** How many rows a prefetch block computes at once (0: no speculation). */
        default int blockRows() {
            return 0;
        }

        /** How many rows can be held at once (prefetches larger than this are split). */
        default int cacheRows() {
            return Integer.MAX_VALUE;
        }
    }

    /**
     * The solution.
     *
     * @param alpha      the optimal variables, original order
     * @param rho        the threshold (the Lagrange multiplier of the equality constraint)
     * @param objective  {@code 0.5 a^T Q a + p^T a}
     * @param iterations SMO iterations
     * @param timedOut   whether {@code maxIterations} stopped it before the tolerance was met
     */
    record Result(double[] alpha, double rho, double objective, int iterations, boolean timedOut) {
    }

    private final int l;
    private final Rows q;
    private final double c;
    private final double eps;
    private final double[] qd;
    private final double[] p;
    private final double[] alpha;
    private final double[] g;
    private final double[] gBar;
    private final byte[] status;
    private final int[] active; // position -> original index
    private int activeSize;
    private boolean unshrink;

    private SmoSolver(Rows q, double[] p, double[] alpha0, double c, double eps) {
        this.l = q.size();
        this.q = q;
        this.c = c;
        this.eps = eps;
        this.qd = q.diagonal().clone();
        this.p = p.clone();
        this.alpha = alpha0.clone();
        this.g = new double[l];
        this.gBar = new double[l];
        this.status = new byte[l];
        this.active = new int[l];
        for (int i = 0; i < l; i++) {
            active[i] = i;
            updateStatus(i);
        }
        this.activeSize = l;
    }

    /**
     * Solves the problem.
     *
     * @param q             the matrix rows
     * @param p             the linear term
     * @param alpha0        a feasible start ({@code 0 <= a_i <= c}; its sum is kept)
     * @param c             the upper bound of every variable
     * @param eps           stopping tolerance on the maximal violating pair
     * @param shrinking     whether to use the shrinking heuristic
     * @param maxIterations iteration limit, or -1 for none
     */
    static Result solve(Rows q, double[] p, double[] alpha0, double c, double eps, boolean shrinking,
            int maxIterations) {
        return new SmoSolver(q, p, alpha0, c, eps).run(shrinking, maxIterations);
    }

    private void updateStatus(int i) {
        status[i] = alpha[i] >= c ? UPPER : alpha[i] <= 0 ? LOWER : FREE;
    }

    private boolean isUpper(int i) {
        return status[i] == UPPER;
    }

    private boolean isLower(int i) {
        return status[i] == LOWER;
    }

    private boolean isFree(int i) {
        return status[i] == FREE;
    }

    private float[] rowAt(int position) {
        return q.row(active[position]);
    }

    private Result run(boolean shrinking, int maxIterations) {
        // initial gradient G = Q a + p, and G_bar = C * sum of rows at the upper bound
        for (int i = 0; i < l; i++) {
            g[i] = p[i];
        }
        int nonZero = 0;
        for (int i = 0; i < l; i++) {
            if (!isLower(i)) {
                nonZero++;
            }
        }
        int[] starts = new int[nonZero];
        for (int i = 0, k = 0; i < l; i++) {
            if (!isLower(i)) {
                starts[k++] = i;
            }
        }
        int chunk = Math.max(1, q.cacheRows());
        for (int from = 0; from < starts.length; from += chunk) {
            int[] part = java.util.Arrays.copyOfRange(starts, from, Math.min(starts.length, from + chunk));
            q.prefetch(part);
            for (int i : part) {
                float[] qi = q.row(i);
                double ai = alpha[i];
                for (int j = 0; j < l; j++) {
                    g[j] += ai * qi[j];
                }
                if (isUpper(i)) {
                    for (int j = 0; j < l; j++) {
                        gBar[j] += c * qi[j];
                    }
                }
            }
        }

        int iter = 0;
        int counter = Math.min(l, 1000) + 1;
        boolean timedOut = false;
        int[] ws = new int[2];
        while (true) {
            if (maxIterations != -1 && iter >= maxIterations) {
                timedOut = true;
                break;
            }
            if (--counter == 0) {
                counter = Math.min(l, 1000);
                if (shrinking) {
                    doShrinking();
                }
            }
            if (!selectWorkingSet(ws)) {
                reconstructGradient();
                activeSize = l;
                if (!selectWorkingSet(ws)) {
                    break;
                }
                counter = 1; // shrink at the next iteration
            }
            ++iter;
            int i = ws[0];
            int j = ws[1];
            float[] qi = rowAt(i);
            float[] qj = rowAt(j);
            double oldAi = alpha[i];
            double oldAj = alpha[j];
            double quad = qd[i] + qd[j] - 2 * qi[active[j]];
            if (quad <= 0) {
                quad = TAU;
            }
            double delta = (g[i] - g[j]) / quad;
            double sum = alpha[i] + alpha[j];
            alpha[i] -= delta;
            alpha[j] += delta;
            if (sum > c) {
                if (alpha[i] > c) {
                    alpha[i] = c;
                    alpha[j] = sum - c;
                }
            } else {
                if (alpha[j] < 0) {
                    alpha[j] = 0;
                    alpha[i] = sum;
                }
            }
            if (sum > c) {
                if (alpha[j] > c) {
                    alpha[j] = c;
                    alpha[i] = sum - c;
                }
            } else {
                if (alpha[i] < 0) {
                    alpha[i] = 0;
                    alpha[j] = sum;
                }
            }
            double dAi = alpha[i] - oldAi;
            double dAj = alpha[j] - oldAj;
            for (int k = 0; k < activeSize; k++) {
                int o = active[k];
                g[k] += qi[o] * dAi + qj[o] * dAj;
            }
            boolean ui = isUpper(i);
            boolean uj = isUpper(j);
            updateStatus(i);
            updateStatus(j);
            if (ui != isUpper(i)) {
                double s = ui ? -c : c;
                for (int k = 0; k < l; k++) {
                    gBar[k] += s * qi[active[k]];
                }
            }
            if (uj != isUpper(j)) {
                double s = uj ? -c : c;
                for (int k = 0; k < l; k++) {
                    gBar[k] += s * qj[active[k]];
                }
            }
        }
        if (activeSize < l) {
            reconstructGradient();
            activeSize = l;
        }
        double rho = calculateRho();
        double v = 0;
        for (int i = 0; i < l; i++) {
            v += alpha[i] * (g[i] + p[i]);
        }
        double[] out = new double[l];
        for (int i = 0; i < l; i++) {
            out[active[i]] = alpha[i];
        }
        return new Result(out, rho, v / 2, iter, timedOut);
    }

    /** WSS3; false when optimal within eps. */
    private boolean selectWorkingSet(int[] out) {
        double gmax = -INF;
        double gmax2 = -INF;
        int gmaxIdx = -1;
        int gminIdx = -1;
        double objDiffMin = INF;
        for (int t = 0; t < activeSize; t++) {
            if (!isUpper(t) && -g[t] >= gmax) {
                gmax = -g[t];
                gmaxIdx = t;
            }
        }
        int i = gmaxIdx;
        if (i != -1 && !q.isCached(active[i])) {
            speculate(i);
        }
        float[] qi = i != -1 ? rowAt(i) : null;
        for (int j = 0; j < activeSize; j++) {
            if (!isLower(j)) {
                double gradDiff = gmax + g[j];
                if (g[j] >= gmax2) {
                    gmax2 = g[j];
                }
                if (gradDiff > 0) {
                    double quad = qd[i] + qd[j] - 2.0 * qi[active[j]];
                    double objDiff = quad > 0 ? -(gradDiff * gradDiff) / quad : -(gradDiff * gradDiff) / TAU;
                    if (objDiff <= objDiffMin) {
                        gminIdx = j;
                        objDiffMin = objDiff;
                    }
                }
            }
        }
        if (gmax + gmax2 < eps || gminIdx == -1) {
            return false;
        }
        out[0] = gmaxIdx;
        out[1] = gminIdx;
        return true;
    }

    /**
     * Row {@code i} is missing: compute it in one block with the rows most likely to be asked for next,
     * the uncached active variables below the upper bound with the largest {@code -G} (the next
     * choices of {@code i}). The iterates do not change; only when rows are computed does.
     */
    private void speculate(int i) {
        int want = q.blockRows() - 1;
        if (want <= 0) {
            return;
        }
        int[] best = new int[want];
        double[] score = new double[want];
        int have = 0;
        for (int t = 0; t < activeSize; t++) {
            if (t == i || isUpper(t) || q.isCached(active[t])) {
                continue;
            }
            double v = -g[t];
            if (have < want) {
                int k = have++;
                while (k > 0 && score[k - 1] < v) {
                    score[k] = score[k - 1];
                    best[k] = best[k - 1];
                    k--;
                }
                score[k] = v;
                best[k] = active[t];
            } else if (v > score[want - 1]) {
                int k = want - 1;
                while (k > 0 && score[k - 1] < v) {
                    score[k] = score[k - 1];
                    best[k] = best[k - 1];
                    k--;
                }
                score[k] = v;
                best[k] = active[t];
            }
        }
        int[] block = new int[have + 1];
        block[0] = active[i];
        System.arraycopy(best, 0, block, 1, have);
        q.prefetch(block);
    }

    private boolean beShrunk(int i, double gmax1, double gmax2) {
        if (isUpper(i)) {
            return -g[i] > gmax1;
        } else if (isLower(i)) {
            return g[i] > gmax2;
        }
        return false;
    }

    private void doShrinking() {
        double gmax1 = -INF; // max -G over I_up
        double gmax2 = -INF; // max G over I_low
        for (int i = 0; i < activeSize; i++) {
            if (!isUpper(i) && -g[i] >= gmax1) {
                gmax1 = -g[i];
            }
            if (!isLower(i) && g[i] >= gmax2) {
                gmax2 = g[i];
            }
        }
        if (!unshrink && gmax1 + gmax2 <= eps * 10) {
            unshrink = true;
            reconstructGradient();
            activeSize = l;
        }
        for (int i = 0; i < activeSize; i++) {
            if (beShrunk(i, gmax1, gmax2)) {
                activeSize--;
                while (activeSize > i) {
                    if (!beShrunk(activeSize, gmax1, gmax2)) {
                        swap(i, activeSize);
                        break;
                    }
                    activeSize--;
                }
            }
        }
    }

    private void swap(int i, int j) {
        swap(qd, i, j);
        swap(g, i, j);
        swap(alpha, i, j);
        swap(p, i, j);
        swap(gBar, i, j);
        byte s = status[i];
        status[i] = status[j];
        status[j] = s;
        int a = active[i];
        active[i] = active[j];
        active[j] = a;
    }

    private static void swap(double[] v, int i, int j) {
        double t = v[i];
        v[i] = v[j];
        v[j] = t;
    }

    private void reconstructGradient() {
        if (activeSize == l) {
            return;
        }
        for (int j = activeSize; j < l; j++) {
            g[j] = gBar[j] + p[j];
        }
        int nrFree = 0;
        for (int j = 0; j < activeSize; j++) {
            if (isFree(j)) {
                nrFree++;
            }
        }
        boolean byInactive = (long) nrFree * l > 2L * activeSize * (l - activeSize);
        int[] positions = byInactive ? java.util.stream.IntStream.range(activeSize, l).toArray()
                : java.util.stream.IntStream.range(0, activeSize).filter(this::isFree).toArray();
        int chunk = Math.max(1, q.cacheRows());
        for (int from = 0; from < positions.length; from += chunk) {
            int[] part = java.util.Arrays.copyOfRange(positions, from, Math.min(positions.length, from + chunk));
            int[] originals = new int[part.length];
            for (int k = 0; k < part.length; k++) {
                originals[k] = active[part[k]];
            }
            q.prefetch(originals);
            for (int i : part) {
                float[] qi = rowAt(i);
                if (byInactive) {
                    for (int j = 0; j < activeSize; j++) {
                        if (isFree(j)) {
                            g[i] += alpha[j] * qi[active[j]];
                        }
                    }
                } else {
                    double ai = alpha[i];
                    for (int j = activeSize; j < l; j++) {
                        g[j] += ai * qi[active[j]];
                    }
                }
            }
        }
    }

    private double calculateRho() {
        int nrFree = 0;
        double ub = INF;
        double lb = -INF;
        double sumFree = 0;
        for (int i = 0; i < activeSize; i++) {
            double yg = g[i];
            if (isUpper(i)) {
                lb = Math.max(lb, yg);
            } else if (isLower(i)) {
                ub = Math.min(ub, yg);
            } else {
                ++nrFree;
                sumFree += yg;
            }
        }
        return nrFree > 0 ? sumFree / nrFree : (ub + lb) / 2;
    }

    /**
     * libsvm's one-class start: with total {@code t = sum of nu over the samples} (accumulated in
     * double, as libsvm does), the first variables are 1 while {@code t} lasts, the next takes the
     * remainder, the rest are 0.
     */
    static double[] oneClassStart(int l, double total) {
        double[] a = new double[l];
        double left = total;
        for (int i = 0; i < l && left > 0; i++) {
            a[i] = Math.min(1.0, left);
            left -= a[i];
        }
        return a;
    }

    /** {@code sum_{i < l} nu}, accumulated in double as libsvm does. */
    static double nuTotal(int l, double nu) {
        double s = 0;
        for (int i = 0; i < l; i++) {
            s += nu;
        }
        return s;
    }
}
