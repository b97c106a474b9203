package org.anomaly4j.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * The fitting side of {@link Pca}: the principal axes of {@code n} centred samples of dimension {@code d}.
 *
 * <p>How: the {@code d x d} covariance (or, with fewer samples than dimensions, the {@code n x n} Gram
 * matrix) is formed by float64 matrix products on the tensor engine, over chunks of rows. Small matrices
 * (at most {@value #FULL_EIGEN_MAX}), and requests for many components out of few dimensions, get a full
 * symmetric eigen-decomposition (Commons Math). Otherwise the top eigenpairs come from block subspace
 * iteration with a Rayleigh&ndash;Ritz step per iteration (block {@code max(2k, k + 16)}, products on the
 * engine, the small {@code b x b} eigenproblems in Java), run until every wanted Ritz pair's residual
 * {@code |C v - theta v|} is below {@value #TOLERANCE} of the largest eigenvalue (at most
 * {@value #MAX_ITERATIONS} iterations; fixed random start). Where the spectrum has a gap after the k-th
 * eigenvalue the components match the full decomposition to that tolerance; where it is flat (noise) the
 * individual eigenvectors are ill-determined anyway and the result is, as with scikit-learn's
 * {@code svd_solver="randomized"}, a near-optimal subspace.
 *
 * <p>Signs follow scikit-learn's {@code svd_flip(u_based_decision=True)}: the training sample with the
 * largest absolute projection on a component projects positively.
 */
final class PcaSolver {
    /** Matrices up to this size are decomposed in full. */
    static final int FULL_EIGEN_MAX = 256;
    static final double TOLERANCE = 1e-6;
    static final int MAX_ITERATIONS = 100;
    private static final int CHUNK_ROWS = 4096;
    /** Largest {@code n * d} whose centred float64 rows are kept from the covariance for the sign step (64 MiB). */
    private static final long KEEP_CENTRED_MAX = 8L << 20;
    /** Subspace iterations of the last fit on this JVM (0: full decomposition), for tests and benchmarks. */
    static volatile int lastIterations;

    private PcaSolver() {
    }

    /** Fitted parts: mean, {@code k x d} unit rows (signed), explained variance, total variance. */
    record Result(double[] mean, double[] components, double[] variance, double total) {
    }

    /** Top eigenpairs, descending: {@code values[k]}, {@code vectors[k x m]} (unit rows). */
    private record Eigen(double[] values, double[] vectors) {
    }

    /**
     * Fits {@code k > 0} components, or (with {@code k <= 0}) the fewest whose cumulative explained
     * variance ratio exceeds {@code fraction}; {@code full} forces the full decomposition.
     */
    static Result solve(float[] rows, int n, int d, int k, double fraction, boolean full) {
        return solve(rows, n, d, k, fraction, full, -1);
    }

    /**
     * Whether scikit-learn 1.2's {@code PCA(n_components=k, svd_solver="auto")} takes its randomized solver for
     * {@code n} samples of dimension {@code d}: more than 500 samples or dimensions and {@code 1 <= k < 0.8 min(n, d)}.
     */
    static boolean scikitLearnWouldRandomize(int n, int d, int k) {
        return Math.max(n, d) > 500 && k >= 1 && k < 0.8 * Math.min(n, d);
    }

    /**
     * {@link #solve(float[], int, int, int, double, boolean)}; with {@code seed >= 0}, where
     * {@link #scikitLearnWouldRandomize} holds and {@code n >= d + 0} with {@code k + 10 <= d}, the components are
     * those of scikit-learn's {@code randomized_svd} with {@code random_state=seed} (see {@link #randomized}).
     */
    static Result solve(float[] rows, int n, int d, int k, double fraction, boolean full, long seed) {
        double[] mean = new double[d];
        for (int s = 0; s < n; s++) {
            int o = s * d;
            for (int j = 0; j < d; j++) {
                mean[j] += rows[o + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        int r = Math.min(n, d);
        boolean gram = n < d;
        int m = gram ? n : d;
        try (NDManager mgr = Tensors.newRootManager()) {
            NDArray mu = mgr.create(mean, new Shape(1, d));
            NDArray xcAll = gram ? centred(mgr, rows, 0, n, d, mu) : null;
            NDArray a;
            // the centred float64 chunks of the covariance, kept for the sign step when they are small
            List<NDArray> kept = !gram && (long) n * d <= KEEP_CENTRED_MAX ? new ArrayList<>() : null;
            if (gram) {
                a = xcAll.matMul(xcAll.transpose());
            } else {
                a = mgr.zeros(new Shape(d, d), DataType.FLOAT64);
                for (int s0 = 0; s0 < n; s0 += CHUNK_ROWS) {
                    try (NDManager tmp = mgr.newSubManager()) {
                        NDArray xc = centred(tmp, rows, s0, Math.min(n, s0 + CHUNK_ROWS), d, mu);
                        a.addi(xc.transpose().matMul(xc));
                        if (kept != null) {
                            xc.attach(mgr);
                            kept.add(xc);
                        }
                    }
                }
            }
            a.divi(n - 1);
            double[] aj = a.toDoubleArray();
            double total = 0;
            for (int i = 0; i < m; i++) {
                total += aj[i * m + i];
            }
            boolean small = full || m <= FULL_EIGEN_MAX;
            Eigen top;
            if (!full && seed >= 0 && !gram && k > 0 && scikitLearnWouldRandomize(n, d, k) && k + OVERSAMPLES <= d) {
                top = randomized(mgr, a, d, k, seed, k < 0.1 * Math.min(n, d) ? 7 : 4);
            } else if (k > 0) {
                top = small || 2 * k + 16 >= m ? fullEigen(aj, m, k) : subspace(mgr, a, m, k);
            } else {
                top = byFraction(mgr, a, aj, m, r, fraction, total, small);
            }
            int kk = top.values.length;
            double[] var = new double[kk];
            for (int q = 0; q < kk; q++) {
                var[q] = Math.max(top.values[q], 0);
            }
            double[] comps;
            if (gram) {
                for (int q = 0; q < kk; q++) {
                    if (!(top.values[q] > 1e-12 * Math.max(total, Double.MIN_NORMAL))) {
                        throw new IllegalArgumentException("only " + q + " components have non-zero variance with n="
                                + n + " samples; ask for fewer");
                    }
                }
                // v = Xc' u, normalised
                comps = mgr.create(top.vectors, new Shape(kk, n)).matMul(xcAll).toDoubleArray();
                for (int q = 0; q < kk; q++) {
                    double norm = 0;
                    for (int j = 0; j < d; j++) {
                        norm += comps[q * d + j] * comps[q * d + j];
                    }
                    norm = Math.sqrt(norm);
                    for (int j = 0; j < d; j++) {
                        comps[q * d + j] /= norm;
                    }
                }
            } else {
                comps = top.vectors;
            }
            flipSigns(mgr, rows, n, d, mu, xcAll, kept, comps, kk);
            return new Result(mean, comps, var, total);
        }
    }

    /** scikit-learn's {@code n_oversamples} of {@code randomized_svd}. */
    static final int OVERSAMPLES = 10;

    /**
     * The top {@code k} components as scikit-learn's {@code randomized_svd(Xc, k, n_oversamples=10,
     * n_iter=iters, random_state=seed)} finds them, computed from the covariance {@code a = Xc'Xc / (n-1)}.
     * scikit-learn draws {@code Omega = RandomState(seed).normal(size=(d, k + 10))}, alternates
     * {@code Q = lu(Xc Q)}, {@code Q = lu(Xc' Q)} {@code iters} times, takes {@code Q = qr(Xc Q)} and the SVD of
     * {@code B = Q' Xc}. The subspaces only depend on the spans, so here {@code Z} spans {@code a^iters Omega}
     * (orthonormalised after each product), and with {@code W = a Z}, {@code G = Z' W = R'R} (Cholesky),
     * {@code B / sqrt(n-1) = R^-T W'}: the eigenpairs of {@code B B' / (n-1)} give the explained variances and
     * {@code v = U' B / s} the components. The same arithmetic up to rounding, so the same components to
     * about {@code 1e-10} (the remaining differences from an exact PCA are scikit-learn's, by design).
     */
    static Eigen randomized(NDManager mgr, NDArray a, int d, int k, long seed, int iters) {
        int l = k + OVERSAMPLES;
        org.anomaly4j.data.NumpyLegacyRandom rng = new org.anomaly4j.data.NumpyLegacyRandom(seed & 0xffffffffL);
        double[] omega = new double[d * l]; // d x l, row-major as numpy fills it
        for (int i = 0; i < omega.length; i++) {
            omega[i] = rng.gauss();
        }
        double[] z = new double[l * d]; // l rows of length d: Z'
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < l; j++) {
                z[j * d + i] = omega[i * l + j];
            }
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        orthonormalise(z, l, d, rnd);
        try (NDManager tmp = mgr.newSubManager()) {
            for (int it = 0; it < iters; it++) {
                z = tmp.create(z, new Shape(l, d)).matMul(a).toDoubleArray(); // (a Z)' = Z' a
                orthonormalise(z, l, d, rnd);
            }
            NDArray zt = tmp.create(z, new Shape(l, d));
            double[] w = zt.matMul(a).toDoubleArray(); // W' = Z' a, l x d
            double[] g = tmp.create(w, new Shape(l, d)).matMul(zt.transpose()).toDoubleArray(); // Z' a Z, l x l
            // Cholesky G = R'R (R upper), then B = R^-T W' by forward substitution on the rows of W'
            double[] r = new double[l * l];
            for (int j = 0; j < l; j++) {
                double s = g[j * l + j];
                for (int t = 0; t < j; t++) {
                    s -= r[t * l + j] * r[t * l + j];
                }
                if (!(s > 0)) {
                    throw new IllegalArgumentException("the data have fewer than " + l + " directions of non-zero "
                            + "variance; ask for fewer components");
                }
                double rjj = Math.sqrt(s);
                r[j * l + j] = rjj;
                for (int i = j + 1; i < l; i++) {
                    double v = g[j * l + i];
                    for (int t = 0; t < j; t++) {
                        v -= r[t * l + j] * r[t * l + i];
                    }
                    r[j * l + i] = v / rjj;
                }
            }
            double[] b = new double[l * d];
            for (int i = 0; i < l; i++) {
                for (int c = 0; c < d; c++) {
                    double v = w[i * d + c];
                    for (int t = 0; t < i; t++) {
                        v -= r[t * l + i] * b[t * d + c];
                    }
                    b[i * d + c] = v / r[i * l + i];
                }
            }
            NDArray bt = tmp.create(b, new Shape(l, d));
            double[] bb = bt.matMul(bt.transpose()).toDoubleArray();
            Eigen small = fullEigen(bb, l, k);
            lastIterations = iters; // after fullEigen, which sets it to 0
            double[] vecs = tmp.create(small.vectors, new Shape(k, l)).matMul(bt).toDoubleArray(); // k x d
            for (int q = 0; q < k; q++) {
                double norm = norm(vecs, q * d, d);
                for (int c = 0; c < d; c++) {
                    vecs[q * d + c] /= norm;
                }
            }
            return new Eigen(small.values, vecs);
        }
    }

    /** Rows {@code [from, to)} minus the mean, float64 {@code [to - from, d]} in {@code m}. */
    private static NDArray centred(NDManager m, float[] rows, int from, int to, int d, NDArray mu) {
        float[] part = from == 0 && to * d == rows.length ? rows : Arrays.copyOfRange(rows, from * d, to * d);
        return m.create(part, new Shape(to - from, d)).toType(DataType.FLOAT64, false).sub(mu);
    }

    /** svd_flip(u_based_decision=True): negates components whose largest-|projection| sample projects negatively. */
    private static void flipSigns(NDManager mgr, float[] rows, int n, int d, NDArray mu, NDArray xcAll,
            List<NDArray> kept, double[] comps, int k) {
        double[] best = new double[k];
        Arrays.fill(best, -1);
        boolean[] flip = new boolean[k];
        NDArray vt = mgr.create(comps, new Shape(k, d)).transpose();
        for (int s0 = 0; s0 < n; s0 += CHUNK_ROWS) {
            int s1 = Math.min(n, s0 + CHUNK_ROWS);
            try (NDManager tmp = mgr.newSubManager()) {
                NDArray xc = xcAll != null ? xcAll.get(new NDIndex(s0 + ":" + s1))
                        : kept != null ? kept.get(s0 / CHUNK_ROWS) : centred(tmp, rows, s0, s1, d, mu);
                double[] p = xc.matMul(vt).toDoubleArray();
                for (int s = 0; s < s1 - s0; s++) {
                    for (int q = 0; q < k; q++) {
                        double v = p[s * k + q];
                        if (Math.abs(v) > best[q]) {
                            best[q] = Math.abs(v);
                            flip[q] = v < 0;
                        }
                    }
                }
                if (xcAll != null) {
                    xc.close();
                }
            }
        }
        for (int q = 0; q < k; q++) {
            if (flip[q]) {
                for (int j = 0; j < d; j++) {
                    comps[q * d + j] = -comps[q * d + j];
                }
            }
        }
    }

    private static Eigen byFraction(NDManager mgr, NDArray a, double[] aj, int m, int r, double fraction, double total,
            boolean small) {
        int want = 16;
        while (true) {
            boolean all = small || want * 2 >= m;
            Eigen e = all ? fullEigen(aj, m, r) : subspace(mgr, a, m, want);
            double cum = 0;
            int below = 0;
            int i = 0;
            for (; i < e.values.length; i++) {
                cum += Math.max(e.values[i], 0) / total;
                if (cum <= fraction) {
                    below++;
                } else {
                    break;
                }
            }
            if (i < e.values.length || all) {
                int k = Math.min(r, below + 1);
                return new Eigen(Arrays.copyOf(e.values, k), Arrays.copyOf(e.vectors, k * m));
            }
            want *= 2;
        }
    }

    private static Eigen fullEigen(double[] c, int m, int k) {
        lastIterations = 0;
        double[][] a = new double[m][m];
        for (int i = 0; i < m; i++) {
            System.arraycopy(c, i * m, a[i], 0, m);
        }
        EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(a, false));
        double[] lambda = eig.getRealEigenvalues();
        Integer[] order = IntStream.range(0, m).boxed().sorted(Comparator.comparingDouble(i -> -lambda[i]))
                .toArray(Integer[]::new);
        int kk = Math.min(k, m);
        double[] values = new double[kk];
        double[] vectors = new double[kk * m];
        for (int q = 0; q < kk; q++) {
            values[q] = lambda[order[q]];
            System.arraycopy(eig.getEigenvector(order[q]).toArray(), 0, vectors, q * m, m);
        }
        return new Eigen(values, vectors);
    }

    /** Block subspace iteration with Rayleigh-Ritz for the top {@code k} eigenpairs of symmetric PSD {@code a}. */
    static Eigen subspace(NDManager mgr, NDArray a, int m, int k) {
        int b = Math.min(m, Math.max(2 * k, k + 16));
        SplittableRandom rnd = new SplittableRandom(0x5eedL);
        double[] q0 = new double[b * m]; // b vectors of length m
        for (int i = 0; i < q0.length; i++) {
            q0[i] = rnd.nextDouble() - 0.5;
        }
        orthonormalise(q0, b, m, rnd);
        NDArray q = mgr.create(q0, new Shape(b, m)).transpose().duplicate(); // m x b, orthonormal columns
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            try (NDManager tmp = mgr.newSubManager()) {
                NDArray z = a.matMul(q);
                double[] h = q.transpose().matMul(z).toDoubleArray();
                double[][] hh = new double[b][b];
                for (int i = 0; i < b; i++) {
                    for (int j = 0; j < b; j++) {
                        hh[i][j] = 0.5 * (h[i * b + j] + h[j * b + i]);
                    }
                }
                EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(hh, false));
                double[] theta = eig.getRealEigenvalues();
                Integer[] order = IntStream.range(0, b).boxed().sorted(Comparator.comparingDouble(i -> -theta[i]))
                        .toArray(Integer[]::new);
                double[] w = new double[b * b]; // column r: the r-th Ritz vector's coefficients
                double[] values = new double[b];
                for (int r = 0; r < b; r++) {
                    values[r] = theta[order[r]];
                    double[] ev = eig.getEigenvector(order[r]).toArray();
                    for (int i = 0; i < b; i++) {
                        w[i * b + r] = ev[i];
                    }
                }
                NDArray wn = tmp.create(w, new Shape(b, b));
                NDArray v = q.matMul(wn);
                NDArray cv = z.matMul(wn);
                NDArray th = tmp.create(values, new Shape(1, b));
                double[] res = cv.sub(v.mul(th)).square().sum(new int[] {0}).toDoubleArray();
                double top = values[0];
                double worst = 0;
                for (int r = 0; r < k; r++) {
                    worst = Math.max(worst, Math.sqrt(res[r]) / top);
                }
                if (!(top > 0) || worst <= TOLERANCE || it == MAX_ITERATIONS - 1) {
                    lastIterations = it + 1;
                    double[] vec = v.get(new NDIndex(":, 0:" + k)).transpose().toDoubleArray();
                    return new Eigen(Arrays.copyOf(values, k), vec);
                }
                NDArray next = orthonormalColumns(tmp, cv, values, m, b, rnd);
                next.attach(mgr);
                q.close();
                q = next;
            }
        }
        throw new AssertionError("unreachable");
    }

    /**
     * Orthonormal columns spanning {@code cv} ({@code m x b}, columns {@code C v_r} with Ritz values
     * {@code theta}): scaled by {@code 1 / theta} they are nearly orthonormal already, and two Cholesky-QR
     * passes finish the job; with a vanishing Ritz value (rank-deficient matrix) or a failed factorisation,
     * modified Gram-Schmidt in Java, with random vectors for the vanished directions.
     */
    private static NDArray orthonormalColumns(NDManager tmp, NDArray cv, double[] theta, int m, int b,
            SplittableRandom rnd) {
        if (theta[b - 1] > 1e-8 * theta[0]) {
            double[] inv = new double[b];
            for (int r = 0; r < b; r++) {
                inv[r] = 1 / theta[r];
            }
            NDArray y = cv.mul(tmp.create(inv, new Shape(1, b)));
            boolean ok = true;
            for (int pass = 0; pass < 2 && ok; pass++) {
                double[] g = y.transpose().matMul(y).toDoubleArray();
                double[] l = LinAlg.cholesky(g, b, 0);
                if (l == null) {
                    ok = false;
                    break;
                }
                double[] li = LinAlg.invertLower(l, b); // Y := Y L^-T
                double[] lit = new double[b * b];
                for (int i = 0; i < b; i++) {
                    for (int j = 0; j < b; j++) {
                        lit[i * b + j] = li[j * b + i];
                    }
                }
                y = y.matMul(tmp.create(lit, new Shape(b, b)));
            }
            if (ok) {
                return y;
            }
        }
        double[] rowsOfVectors = cv.transpose().toDoubleArray(); // b x m
        orthonormalise(rowsOfVectors, b, m, rnd);
        return tmp.create(rowsOfVectors, new Shape(b, m)).transpose().duplicate();
    }

    /** Modified Gram-Schmidt, twice, on {@code b} rows of length {@code m}; a vanishing row becomes random. */
    private static void orthonormalise(double[] q, int b, int m, SplittableRandom rnd) {
        for (int i = 0; i < b; i++) {
            int oi = i * m;
            double before = norm(q, oi, m);
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < i; j++) {
                    int oj = j * m;
                    double s = 0;
                    for (int t = 0; t < m; t++) {
                        s += q[oi + t] * q[oj + t];
                    }
                    for (int t = 0; t < m; t++) {
                        q[oi + t] -= s * q[oj + t];
                    }
                }
            }
            double after = norm(q, oi, m);
            if (!(after > 1e-10 * before) || !(after > 0)) {
                for (int t = 0; t < m; t++) {
                    q[oi + t] = rnd.nextDouble() - 0.5;
                }
                i--; // orthogonalise the replacement again
                continue;
            }
            for (int t = 0; t < m; t++) {
                q[oi + t] /= after;
            }
        }
    }

    private static double norm(double[] q, int o, int m) {
        double s = 0;
        for (int t = 0; t < m; t++) {
            s += q[o + t] * q[o + t];
        }
        return Math.sqrt(s);
    }
}
