package org.anomaly4j.density;

import org.anomaly4j.mixture.DenseMath;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Gaussian kernel density estimate on feature vectors:
 * {@code log p(x) = log(1/n sum_i N(W(x - m); W(t_i - m), h^2 I)) + log|det W|}, where {@code W} whitens
 * ({@code scott}, {@code silverman}: {@code W = L^-1} with {@code L L'} the sample covariance, ddof 1, so
 * the kernel covariance is {@code h^2 Sigma} as in {@code scipy.stats.gaussian_kde}) or is the identity
 * (the other rules).
 *
 * <p>Bandwidth rules ({@link Rule}): {@code scott} {@code h = n^(-1/(d+4))}; {@code silverman}
 * {@code h = (n (d+2) / 4)^(-1/(d+4))}; {@code isotropic} {@code h = n^(-1/(d+4)) sqrt(mean per-feature
 * variance)} (ddof 0); a fixed {@code h}; {@code cv}: the {@code isotropic} value times the factor of a
 * log-spaced grid ({@link #CV_GRID}) that maximises the mean log-likelihood of a seeded, held-out 20% of
 * the training rows under a KDE of the other 80%, then scaled by {@code (0.8)^(1/(d+4))} for the full set.
 *
 * <h2>Computation</h2>
 * Exact (no tree, no truncation beyond double rounding): for each query the squared distances to all
 * training rows are accumulated in float32 by a Java loop over training blocks stored column-major
 * (the inner loop is a vectorisable {@code acc[b] += (q_j - t_jb)^2}), then
 * {@code log sum exp(-(dist^2 - min)/(2h^2))} in double, leaving out terms below {@code e^-40} of the
 * largest (their sum cannot reach double rounding of the result). Queries run in parallel. Every
 * query is computed the same way alone or in a batch, so scores do not depend on batching.
 *
 * <p>Immutable and thread-safe.
 */
final class KernelDensity {
    /** The grid of factors (of the isotropic bandwidth) tried by {@code cv}. */
    static final double[] CV_GRID = {0.25, 0.35, 0.5, 0.71, 1.0, 1.41, 2.0, 2.83, 4.0};
    /** Share of the training rows held out by {@code cv}. */
    static final double CV_HOLDOUT = 0.2;
    private static final double SKIP_EXPONENT = 40;
    private static final int BLOCK = 256;
    private static final int GRAIN = 32;

    /** The bandwidth rules. */
    enum Rule {
        SCOTT, SILVERMAN, ISOTROPIC, CV, FIXED;

        boolean whitens() {
            return this == SCOTT || this == SILVERMAN;
        }
    }

    /**
     * A parsed bandwidth: a rule, and the value for {@link Rule#FIXED}.
     *
     * @param rule  the rule
     * @param value the fixed bandwidth (> 0) or NaN
     */
    record Bandwidth(Rule rule, double value) {
        /** Parses {@code scott}, {@code silverman}, {@code isotropic}, {@code cv} or a positive number. */
        static Bandwidth parse(String s) {
            String t = s.trim().toLowerCase(Locale.ROOT);
            for (Rule r : Rule.values()) {
                if (r != Rule.FIXED && r.name().toLowerCase(Locale.ROOT).equals(t)) {
                    return new Bandwidth(r, Double.NaN);
                }
            }
            double v;
            try {
                v = Double.parseDouble(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be scott, silverman, isotropic, cv or a positive number, got '"
                        + s + "'");
            }
            if (!(v > 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException("a fixed bandwidth must be a finite number > 0, got " + s);
            }
            return new Bandwidth(Rule.FIXED, v);
        }

        @Override
        public String toString() {
            return rule == Rule.FIXED ? Double.toString(value) : rule.name().toLowerCase(Locale.ROOT);
        }
    }

    private final int n;
    private final int d;
    private final double h; // float-rounded
    private final float[] train; // n*d, in the kernel space (whitened when whitening)
    private final double[] mean; // d, float-rounded, or null (no whitening)
    private final double[] whitener; // d*d lower, float-rounded, or null
    private final double logDetW;
    private final float[] blocks; // training rows, blocks of BLOCK rows, each d x width column-major
    private final double logNorm; // -log n - d log h - d/2 log 2pi + log|det W|
    private final double inv2h2;

    private KernelDensity(float[] train, int n, int d, double h, double[] mean, double[] whitener) {
        this.n = n;
        this.d = d;
        this.h = (float) h;
        this.train = train;
        this.mean = mean;
        this.whitener = whitener;
        double ld = 0;
        if (whitener != null) {
            for (int i = 0; i < d; i++) {
                ld += Math.log(whitener[i * d + i]);
            }
        }
        this.logDetW = ld;
        this.inv2h2 = 1.0 / (2 * this.h * this.h);
        this.logNorm = -Math.log(n) - d * Math.log(this.h) - 0.5 * d * DenseMath.LOG_2PI + logDetW;
        this.blocks = layout(train, n, d);
    }

    /** Fits: computes the bandwidth (and whitening) from {@code n} row-major rows. */
    static KernelDensity fit(float[] rows, int n, int d, Bandwidth bw, long seed) {
        DenseMath.checkRows(rows, n, d, 2);
        double[] mean = null;
        double[] w = null;
        float[] kernelRows = rows.clone();
        if (bw.rule().whitens()) {
            mean = new double[d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    mean[j] += rows[i * d + j];
                }
            }
            for (int j = 0; j < d; j++) {
                mean[j] /= n;
            }
            double[] cov = new double[d * d];
            double[] z = new double[d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    z[j] = rows[i * d + j] - mean[j];
                }
                for (int a = 0; a < d; a++) {
                    double za = z[a];
                    for (int b = 0; b <= a; b++) {
                        cov[a * d + b] += za * z[b];
                    }
                }
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b <= a; b++) {
                    cov[a * d + b] /= n - 1;
                    cov[b * d + a] = cov[a * d + b];
                }
            }
            double[] jit = new double[1];
            double[] l = DenseMath.choleskyWithJitter(cov, d, 1e-3, jit);
            if (l == null) {
                throw new IllegalArgumentException("the features' covariance (" + d + "x" + d + ") cannot be whitened"
                        + " (singular even with jitter 1e-3 * mean variance): use bandwidth=isotropic or fewer"
                        + " features (e.g. pca)");
            }
            mean = DenseMath.roundToFloat(mean);
            w = DenseMath.roundToFloat(DenseMath.invertLower(l, d));
            kernelRows = whiten(rows, n, d, mean, w);
        }
        double h = switch (bw.rule()) {
            case SCOTT -> Math.pow(n, -1.0 / (d + 4));
            case SILVERMAN -> Math.pow(n * (d + 2) / 4.0, -1.0 / (d + 4));
            case ISOTROPIC -> isotropic(rows, n, d);
            case FIXED -> bw.value();
            case CV -> crossValidated(rows, n, d, seed);
        };
        return new KernelDensity(kernelRows, n, d, h, mean, w);
    }

    /** A KDE from stored parts: kernel-space training rows, bandwidth, and whitening (or nulls). */
    static KernelDensity of(float[] kernelRows, int n, int d, float bandwidth, float[] mean, float[] whitener) {
        if (kernelRows.length != (long) n * d || n < 1 || !(bandwidth > 0)) {
            throw new IllegalArgumentException("inconsistent KDE: " + kernelRows.length + " values for " + n + "x" + d
                    + ", bandwidth " + bandwidth);
        }
        if ((mean == null) != (whitener == null) || mean != null && (mean.length != d || whitener.length != d * d)) {
            throw new IllegalArgumentException("inconsistent KDE whitening for d=" + d);
        }
        return new KernelDensity(kernelRows.clone(), n, d, bandwidth, mean == null ? null : DenseMath.toDoubles(mean),
                whitener == null ? null : DenseMath.toDoubles(whitener));
    }

    /** n^(-1/(d+4)) * sqrt(mean per-feature variance, ddof 0): the reference's isotropic rule. */
    static double isotropic(float[] rows, int n, int d) {
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += rows[i * d + j];
            }
        }
        double var = 0;
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double z = rows[i * d + j] - mean[j];
                var += z * z;
            }
        }
        var /= (double) n * d;
        if (!(var > 0)) {
            throw new IllegalArgumentException("the training features have zero variance: no bandwidth can be derived");
        }
        return Math.pow(n, -1.0 / (d + 4)) * Math.sqrt(var);
    }

    private static double crossValidated(float[] rows, int n, int d, long seed) {
        int hold = Math.max(1, (int) Math.round(n * CV_HOLDOUT));
        if (n - hold < 2) {
            throw new IllegalArgumentException("bandwidth=cv needs at least 3 training rows, got " + n);
        }
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int nf = n - hold;
        float[] fitRows = new float[nf * d];
        float[] heldRows = new float[hold * d];
        for (int i = 0; i < nf; i++) {
            System.arraycopy(rows, perm[i] * d, fitRows, i * d, d);
        }
        for (int i = 0; i < hold; i++) {
            System.arraycopy(rows, perm[nf + i] * d, heldRows, i * d, d);
        }
        double base = isotropic(fitRows, nf, d);
        float[] blk = layout(fitRows, nf, d);
        float[][] dist = new float[hold][];
        DenseMath.parallelRanges(hold, GRAIN, (from, to) -> {
            float[] acc = new float[BLOCK];
            for (int q = from; q < to; q++) {
                float[] z = new float[d];
                System.arraycopy(heldRows, q * d, z, 0, d);
                float[] out = new float[nf];
                distances(blk, nf, d, z, acc, out);
                dist[q] = out;
            }
        });
        double bestLl = Double.NEGATIVE_INFINITY;
        double best = base;
        for (double g : CV_GRID) {
            double hh = base * g;
            double inv = 1 / (2 * hh * hh);
            double norm = -Math.log(nf) - d * Math.log(hh) - 0.5 * d * DenseMath.LOG_2PI;
            double ll = 0;
            for (int q = 0; q < hold; q++) {
                ll += logSumExpNeg(dist[q], nf, inv) + norm;
            }
            ll /= hold;
            if (ll > bestLl) {
                bestLl = ll;
                best = hh;
            }
        }
        return best * Math.pow((double) nf / n, 1.0 / (d + 4));
    }

    private static float[] whiten(float[] rows, int n, int d, double[] mean, double[] w) {
        float[] out = new float[n * d];
        double[] z = new double[d];
        for (int i = 0; i < n; i++) {
            whitenRow(rows, i * d, d, mean, w, z, out, i * d);
        }
        return out;
    }

    private static void whitenRow(float[] rows, int off, int d, double[] mean, double[] w, double[] z, float[] out,
            int outOff) {
        for (int j = 0; j < d; j++) {
            z[j] = rows[off + j] - mean[j];
        }
        for (int a = 0; a < d; a++) {
            double acc = 0;
            int row = a * d;
            for (int b = 0; b <= a; b++) {
                acc += w[row + b] * z[b];
            }
            out[outOff + a] = (float) acc;
        }
    }

    /** Training rows in blocks of {@link #BLOCK}, each stored column-major (d x width). */
    private static float[] layout(float[] rows, int n, int d) {
        float[] out = new float[n * d];
        for (int start = 0; start < n; start += BLOCK) {
            int width = Math.min(BLOCK, n - start);
            int base = start * d;
            for (int b = 0; b < width; b++) {
                for (int j = 0; j < d; j++) {
                    out[base + j * width + b] = rows[(start + b) * d + j];
                }
            }
        }
        return out;
    }

    /** Squared distances of query {@code z} to every training row, in training order. */
    private static void distances(float[] blocks, int n, int d, float[] z, float[] acc, float[] out) {
        for (int start = 0; start < n; start += BLOCK) {
            int width = Math.min(BLOCK, n - start);
            int base = start * d;
            java.util.Arrays.fill(acc, 0, width, 0f);
            for (int j = 0; j < d; j++) {
                float a = z[j];
                int o = base + j * width;
                for (int b = 0; b < width; b++) {
                    float t = a - blocks[o + b];
                    acc[b] += t * t;
                }
            }
            System.arraycopy(acc, 0, out, start, width);
        }
    }

    /** log sum_i exp(-dist_i * inv), stable; terms below e^-40 of the largest are left out. */
    private static double logSumExpNeg(float[] dist, int n, double inv) {
        float min = Float.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float v = dist[i];
            if (v < min) { // not Math.min: its NaN / -0.0 handling is several times slower here
                min = v;
            }
        }
        double cut = min + SKIP_EXPONENT / inv;
        double s = 0;
        for (int i = 0; i < n; i++) {
            float v = dist[i];
            if (v <= cut) {
                s += Math.exp((min - v) * inv);
            }
        }
        return -min * inv + Math.log(s);
    }

    /** Log-density of one feature vector. */
    double logDensity(float[] row) {
        if (row.length != d) {
            throw new IllegalArgumentException("row has " + row.length + " values, expected " + d);
        }
        return logDensity(row, 0, new float[d], new double[d], new float[BLOCK], new float[n]);
    }

    private double logDensity(float[] rows, int off, float[] z, double[] scratch, float[] acc, float[] dist) {
        if (whitener != null) {
            whitenRow(rows, off, d, mean, whitener, scratch, z, 0);
        } else {
            System.arraycopy(rows, off, z, 0, d);
        }
        distances(blocks, n, d, z, acc, dist);
        return logSumExpNeg(dist, n, inv2h2) + logNorm;
    }

    /** Log-densities of {@code m} row-major rows, in parallel; each as {@link #logDensity(float[])}. */
    double[] logDensities(float[] rows, int m) {
        if (rows.length != (long) m * d) {
            throw new IllegalArgumentException("expected " + m + "x" + d + " values, got " + rows.length);
        }
        double[] out = new double[m];
        DenseMath.parallelRanges(m, GRAIN, (from, to) -> {
            float[] z = new float[d];
            double[] scratch = new double[d];
            float[] acc = new float[BLOCK];
            float[] dist = new float[n];
            for (int i = from; i < to; i++) {
                out[i] = logDensity(rows, i * d, z, scratch, acc, dist);
            }
        });
        return out;
    }

    /** The bandwidth in kernel space (whitened units for scott and silverman). */
    double bandwidth() {
        return h;
    }

    int dimension() {
        return d;
    }

    int size() {
        return n;
    }

    /** Training rows in kernel space (whitened when whitening), row-major. */
    float[] kernelRows() {
        return train.clone();
    }

    /** Whitening mean, or null. */
    float[] whiteningMean() {
        return mean == null ? null : DenseMath.toFloats(mean);
    }

    /** Whitening matrix (lower triangular, row-major), or null. */
    float[] whitener() {
        return whitener == null ? null : DenseMath.toFloats(whitener);
    }
}
