package org.anomaly4j.features;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.anomaly4j.tensor.Pca;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * PCA fitting fast enough for thousands of samples of thousands of pixels, giving a {@link Pca} with
 * {@link Pca}'s conventions (scikit-learn's {@code PCA}: components of the centred data's covariance,
 * explained variance {@code S^2 / (n - 1)}, {@code svd_flip(u_based_decision=True)} signs: the sample with
 * the largest absolute projection on a component projects positively).
 *
 * <p>How: the {@code m x m} covariance (or, with fewer samples than dimensions, Gram) matrix is formed in
 * parallel with double accumulation; when only a few components are wanted out of many, its top
 * eigenpairs come from block subspace iteration (block size {@code max(2k, k + 16)}) with Rayleigh&ndash;Ritz
 * steps, run until every wanted Ritz pair's residual {@code |C v - theta v|} is below {@code 1e-6} of the
 * largest eigenvalue, or for at most 60 iterations (deterministic: fixed start, no dependence on thread
 * count). Where the spectrum has a gap after the k-th eigenvalue the components match {@link Pca#fit}
 * to that tolerance; where it is flat there (noise), the individual eigenvectors are ill-determined
 * anyway and the result is, like scikit-learn's {@code svd_solver="randomized"}, a near-optimal
 * subspace. Small matrices (and many components) get a full eigen-decomposition, as {@link Pca#fit}.
 */
final class FastPca {
    /** Matrices up to this size are decomposed in full. */
    static final int FULL_EIGEN_MAX = 256;
    private static final double TOLERANCE = 1e-6;
    private static final int MAX_ITERATIONS = 60;
    /** Iterations of the last subspace run (diagnostics for tests and benchmarks). */
    static volatile int lastIterations;

    private FastPca() {
    }

    /** The fitted PCA and the training rows' projections on it ({@code n x k}). */
    record Fit(Pca pca, float[] projections) {
    }

    /**
     * Fits {@code k > 0} components, or (with {@code k <= 0}) the fewest whose cumulative explained
     * variance ratio exceeds {@code fraction}. The PCA's parts are rounded to float32 (as an archive stores
     * them) and the projections are exactly {@code pca.transform(rows, n)}.
     */
    static Fit fit(float[] rows, int n, int d, int k, double fraction, boolean whiten) {
        if (n < 2 || d < 1 || rows.length != (long) n * d) {
            throw new IllegalArgumentException("need n >= 2 samples of d >= 1 values, got n=" + n + ", d=" + d);
        }
        int r = Math.min(n, d);
        if (k > r) {
            throw new IllegalArgumentException("components must be in [1, min(n, d) = " + r + "], got " + k);
        }
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
        boolean gram = n < d;
        int m = gram ? n : d;
        int len = gram ? d : n;
        // the matrix whose rows' inner products we need: samples (gram) or features (covariance), centred
        float[] a = new float[m * len];
        IntStream.range(0, n).parallel().forEach(s -> {
            int o = s * d;
            for (int j = 0; j < d; j++) {
                float v = (float) (rows[o + j] - mean[j]);
                if (gram) {
                    a[s * len + j] = v;
                } else {
                    a[j * len + s] = v;
                }
            }
        });
        double[] c = syrk(a, m, len, 1.0 / (n - 1));
        double total = 0;
        for (int i = 0; i < m; i++) {
            total += c[i * m + i];
        }
        Eigen top = k > 0 ? topEigen(c, m, k) : topByFraction(c, m, r, fraction, total);
        int kk = top.values.length;
        double[] comps = new double[kk * d];
        if (gram) {
            for (int q = 0; q < kk; q++) {
                if (!(top.values[q] > 1e-12 * Math.max(total, Double.MIN_NORMAL))) {
                    throw new IllegalArgumentException("only " + q + " components have non-zero variance with n=" + n
                            + " samples; ask for fewer");
                }
            }
            // v = Xc' u, normalised
            IntStream.range(0, kk).parallel().forEach(q -> {
                double[] v = new double[d];
                for (int s = 0; s < n; s++) {
                    double u = top.vectors[q * m + s];
                    int o = s * len;
                    for (int j = 0; j < d; j++) {
                        v[j] += a[o + j] * u;
                    }
                }
                double norm = 0;
                for (double x : v) {
                    norm += x * x;
                }
                norm = Math.sqrt(norm);
                for (int j = 0; j < d; j++) {
                    comps[q * d + j] = v[j] / norm;
                }
            });
        } else {
            System.arraycopy(top.vectors, 0, comps, 0, kk * d);
        }
        double[] var = new double[kk];
        for (int q = 0; q < kk; q++) {
            var[q] = Math.max(top.values[q], 0);
        }
        double[] meanF = round(mean);
        double[] compsF = round(comps);
        Pca unsigned = Pca.of(meanF, compsF, round(var), (float) total, whiten);
        float[] proj = FastPca.transformParallel(unsigned, rows, n);
        // svd_flip(u_based_decision=True): the largest |projection| must be positive; negation is exact
        boolean[] flip = new boolean[kk];
        for (int q = 0; q < kk; q++) {
            float best = -1;
            for (int s = 0; s < n; s++) {
                float p = proj[s * kk + q];
                if (Math.abs(p) > best) {
                    best = Math.abs(p);
                    flip[q] = p < 0;
                }
            }
            if (flip[q]) {
                for (int j = 0; j < d; j++) {
                    compsF[q * d + j] = -compsF[q * d + j];
                }
            }
        }
        for (int s = 0; s < n; s++) {
            for (int q = 0; q < kk; q++) {
                if (flip[q]) {
                    proj[s * kk + q] = -proj[s * kk + q];
                }
            }
        }
        return new Fit(Pca.of(meanF, compsF, round(var), (float) total, whiten), proj);
    }

    private static double[] round(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    /** {@link Pca#transform(float[], int)} over row chunks on the common pool. */
    static float[] transformParallel(Pca p, float[] rows, int n) {
        int d = p.dimension();
        int k = p.components();
        float[] out = new float[n * k];
        int chunk = Chunks.size(n);
        IntStream.range(0, (n + chunk - 1) / chunk).parallel().forEach(c -> {
            int from = c * chunk;
            int m = Math.min(n, from + chunk) - from;
            float[] part = new float[m * d];
            System.arraycopy(rows, from * d, part, 0, m * d);
            System.arraycopy(p.transform(part, m), 0, out, from * k, m * k);
        });
        return out;
    }

    /** {@code scale * A A'} for {@code A} of {@code m} rows of {@code len} floats: symmetric {@code m x m}. */
    static double[] syrk(float[] a, int m, int len, double scale) {
        double[] c = new double[m * m];
        int quads = (m + 3) / 4;
        // one task per 4-row band of the lower triangle; 4x4 register blocks, double accumulation
        IntStream.range(0, quads).parallel().forEach(qi -> {
            int i0 = qi * 4;
            int i1 = Math.min(m, i0 + 4);
            double[] s = new double[16];
            for (int j0 = 0; j0 < i1; j0 += 4) {
                int j1 = Math.min(m, j0 + 4);
                block(a, len, i0, i1, j0, j1, s);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1 && j <= i; j++) {
                        double x = s[(i - i0) * 4 + (j - j0)] * scale;
                        c[i * m + j] = x;
                        c[j * m + i] = x;
                    }
                }
            }
        });
        return c;
    }

    /** Dot products of rows {@code [i0, i1)} with rows {@code [j0, j1)} (each at most 4) into {@code s[4 x 4]}. */
    private static void block(float[] a, int len, int i0, int i1, int j0, int j1, double[] s) {
        // rows past the end repeat the last one (their results are ignored)
        int a0 = i0 * len;
        int a1 = Math.min(i0 + 1, i1 - 1) * len;
        int a2 = Math.min(i0 + 2, i1 - 1) * len;
        int a3 = Math.min(i0 + 3, i1 - 1) * len;
        int b0 = j0 * len;
        int b1 = Math.min(j0 + 1, j1 - 1) * len;
        int b2 = Math.min(j0 + 2, j1 - 1) * len;
        int b3 = Math.min(j0 + 3, j1 - 1) * len;
        double s00 = 0, s01 = 0, s02 = 0, s03 = 0;
        double s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        double s20 = 0, s21 = 0, s22 = 0, s23 = 0;
        double s30 = 0, s31 = 0, s32 = 0, s33 = 0;
        for (int t = 0; t < len; t++) {
            double x0 = a[a0 + t];
            double x1 = a[a1 + t];
            double x2 = a[a2 + t];
            double x3 = a[a3 + t];
            double y0 = a[b0 + t];
            double y1 = a[b1 + t];
            double y2 = a[b2 + t];
            double y3 = a[b3 + t];
            s00 += x0 * y0;
            s01 += x0 * y1;
            s02 += x0 * y2;
            s03 += x0 * y3;
            s10 += x1 * y0;
            s11 += x1 * y1;
            s12 += x1 * y2;
            s13 += x1 * y3;
            s20 += x2 * y0;
            s21 += x2 * y1;
            s22 += x2 * y2;
            s23 += x2 * y3;
            s30 += x3 * y0;
            s31 += x3 * y1;
            s32 += x3 * y2;
            s33 += x3 * y3;
        }
        s[0] = s00;
        s[1] = s01;
        s[2] = s02;
        s[3] = s03;
        s[4] = s10;
        s[5] = s11;
        s[6] = s12;
        s[7] = s13;
        s[8] = s20;
        s[9] = s21;
        s[10] = s22;
        s[11] = s23;
        s[12] = s30;
        s[13] = s31;
        s[14] = s32;
        s[15] = s33;
    }

    /** Top eigenpairs, descending: {@code values[k]}, {@code vectors[k x m]} (unit rows). */
    private record Eigen(double[] values, double[] vectors) {
    }

    private static Eigen topByFraction(double[] c, int m, int r, double fraction, double total) {
        int want = 16;
        while (true) {
            boolean full = want * 2 >= m || m <= FULL_EIGEN_MAX;
            Eigen e = full ? fullEigen(c, m, r) : subspace(c, m, want);
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
            if (i < e.values.length || full) {
                int k = Math.min(r, below + 1);
                return new Eigen(Arrays.copyOf(e.values, k), Arrays.copyOf(e.vectors, k * m));
            }
            want *= 2;
        }
    }

    private static Eigen topEigen(double[] c, int m, int k) {
        Eigen e = m <= FULL_EIGEN_MAX || 2 * k + 16 >= m ? fullEigen(c, m, k) : subspace(c, m, k);
        return new Eigen(Arrays.copyOf(e.values, k), Arrays.copyOf(e.vectors, k * m));
    }

    private static Eigen fullEigen(double[] c, int m, int k) {
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

    /** Block subspace iteration with Rayleigh-Ritz for the top {@code k} eigenpairs of symmetric PSD {@code c}. */
    static Eigen subspace(double[] c, int m, int k) {
        int b = Math.min(m, Math.max(2 * k, k + 16));
        double[] q = new double[b * m]; // b vectors of length m
        SplittableRandom rnd = new SplittableRandom(0x5eedL);
        for (int i = 0; i < q.length; i++) {
            q[i] = rnd.nextDouble() - 0.5;
        }
        orthonormalise(q, b, m, rnd);
        double scale = 0;
        for (int i = 0; i < m; i++) {
            scale = Math.max(scale, c[i * m + i]);
        }
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            double[] z = multiply(c, m, q, b); // rows: C q_i
            double[][] h = new double[b][b];
            IntStream.range(0, b).parallel().forEach(i -> {
                for (int j = 0; j <= i; j++) {
                    double s = 0;
                    for (int t = 0; t < m; t++) {
                        s += q[i * m + t] * z[j * m + t];
                    }
                    h[i][j] = s;
                }
            });
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < i; j++) {
                    double s = 0.5 * (h[i][j] + h[j][i]);
                    h[i][j] = s;
                    h[j][i] = s;
                }
                for (int j = i + 1; j < b; j++) {
                    h[i][j] = h[j][i];
                }
            }
            EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(h, false));
            double[] theta = eig.getRealEigenvalues();
            Integer[] order = IntStream.range(0, b).boxed().sorted(Comparator.comparingDouble(i -> -theta[i]))
                    .toArray(Integer[]::new);
            double[] w = new double[b * b]; // w[r * b + i]: coefficient of q_i in Ritz vector r
            double[] values = new double[b];
            for (int r = 0; r < b; r++) {
                values[r] = theta[order[r]];
                double[] ev = eig.getEigenvector(order[r]).toArray();
                System.arraycopy(ev, 0, w, r * b, b);
            }
            double[] v = combine(w, q, b, m);
            double[] cv = combine(w, z, b, m);
            double worst = 0;
            double top = Math.max(values[0], scale * 1e-300);
            for (int r = 0; r < k; r++) {
                double s = 0;
                for (int t = 0; t < m; t++) {
                    double e = cv[r * m + t] - values[r] * v[r * m + t];
                    s += e * e;
                }
                worst = Math.max(worst, Math.sqrt(s) / top);
            }
            if (worst <= TOLERANCE || top <= 0 || it == MAX_ITERATIONS - 1) {
                lastIterations = it + 1;
                return new Eigen(Arrays.copyOf(values, k), Arrays.copyOf(v, k * m));
            }
            System.arraycopy(cv, 0, q, 0, q.length);
            orthonormalise(q, b, m, rnd);
        }
        throw new AssertionError("unreachable");
    }

    /** Rows {@code C x_i} for the {@code b} rows {@code x_i} (C symmetric, so row-major products suffice). */
    private static double[] multiply(double[] c, int m, double[] x, int b) {
        double[] z = new double[b * m];
        int blocks = (b + 3) / 4;
        IntStream.range(0, blocks).parallel().forEach(bi -> {
            int r0 = bi * 4;
            int r1 = Math.min(b, r0 + 4);
            for (int r = r0; r < r1; r++) {
                int oz = r * m;
                int ox = r * m;
                for (int j = 0; j < m; j++) {
                    double xj = x[ox + j];
                    if (xj == 0) {
                        continue;
                    }
                    int oc = j * m;
                    for (int t = 0; t < m; t++) {
                        z[oz + t] += xj * c[oc + t];
                    }
                }
            }
        });
        return z;
    }

    /** Rows {@code sum_i w[r][i] x_i}. */
    private static double[] combine(double[] w, double[] x, int b, int m) {
        double[] out = new double[b * m];
        IntStream.range(0, b).parallel().forEach(r -> {
            int o = r * m;
            for (int i = 0; i < b; i++) {
                double wi = w[r * b + i];
                int ox = i * m;
                for (int t = 0; t < m; t++) {
                    out[o + t] += wi * x[ox + t];
                }
            }
        });
        return out;
    }

    /** Modified Gram-Schmidt, twice; a vector that vanishes is replaced by a random one. */
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
