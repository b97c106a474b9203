package org.anomaly4j.mixture;

import java.util.Arrays;
import java.util.Locale;

import org.anomaly4j.api.ProgressListener;

/**
 * A Gaussian mixture fitted by expectation–maximisation, following scikit-learn 1.2's
 * {@code GaussianMixture} step for step: responsibilities from the log-densities (log-sum-exp), means
 * and covariances from the responsibilities with {@code nk = sum resp + 10 eps} and {@code reg_covar}
 * on the diagonal, precisions kept as Cholesky factors ({@code P = L^-T}), the mean log-likelihood as
 * the lower bound, and a stop when it changes by less than {@code tol}. Covariance types: full, tied,
 * diag, spherical.
 *
 * <p>The initial labels come from this package's {@link KMeans} (greedy k-means++ then Lloyd) with
 * scikit-learn's random draws for the same seed ({@link KMeans.Draws#numpy}), so the same data and seed
 * start from scikit-learn's clusters (up to rounding at a tie). Differences from scikit-learn, all on
 * purpose: covariances are accumulated centred (two passes), which is
 * more accurate than scikit-learn's diag and tied formulas; for diag and spherical covariances
 * responsibilities below {@code 1e-12} are skipped in the sums (their share is below double rounding).
 * For full and tied covariances the heavy products of each EM iteration (the E-step's whitened residuals
 * of every component, the full M-step's scatter matrices) are float64 matrix products on the tensor engine
 * ({@link EngineEm}); the rest is Java. The fitted parameters are
 * rounded to float32 (what a saved model stores) and every log-likelihood is computed in double from
 * them, so a restored model scores bit for bit as the fitted one.
 *
 * <p>Immutable and thread-safe.
 */
public final class GaussianMixture {
    /** Responsibilities below this are left out of the covariance sums. */
    private static final double SKIP = 1e-12;
    private static final double EPS10 = 10 * Math.ulp(1.0);
    private static final int GRAIN = 256;

    /** How each component's covariance is parameterised. */
    public enum CovarianceType {
        FULL, TIED, DIAG, SPHERICAL;

        /** Lower-case name, as in scikit-learn. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static CovarianceType parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }

        /** Number of values of one component's precision Cholesky factor (tied: of the shared one). */
        public int precisionSize(int d) {
            return switch (this) {
                case FULL, TIED -> d * d;
                case DIAG -> d;
                case SPHERICAL -> 1;
            };
        }
    }

    /**
     * EM settings, scikit-learn's names.
     *
     * @param components number of components
     * @param type       covariance type
     * @param tol        convergence threshold on the change of the mean log-likelihood
     * @param regCovar   added to the covariances' diagonal
     * @param maxIter    EM iterations per initialisation
     * @param nInit      initialisations; the best lower bound wins
     * @param lloyd      k-means (Lloyd) after k-means++ seeding ("kmeans"), or labels of the nearest seed
     *                   ("k-means++")
     * @param seed       random seed of the initialisation
     */
    public record Settings(int components, CovarianceType type, double tol, double regCovar, int maxIter, int nInit,
            boolean lloyd, long seed) {
    }

    private final int k;
    private final int d;
    private final CovarianceType type;
    private final double[] weights; // k, float-rounded
    private final double[] logWeights;
    private final double[] means; // k*d, float-rounded
    private final double[] precChol; // full: k*d*d upper; tied: d*d; diag: k*d; spherical: k (float-rounded)
    private final double[] logDet; // k: sum log diag of the precision Cholesky factor
    private final boolean converged;
    private final int iterations;
    private final double lowerBound;

    private GaussianMixture(CovarianceType type, int d, double[] weights, double[] means, double[] precChol,
            boolean converged, int iterations, double lowerBound) {
        this.type = type;
        this.k = weights.length;
        this.d = d;
        this.weights = DenseMath.roundToFloat(weights);
        this.means = DenseMath.roundToFloat(means);
        this.precChol = DenseMath.roundToFloat(precChol);
        this.converged = converged;
        this.iterations = iterations;
        this.lowerBound = lowerBound;
        this.logWeights = new double[k];
        for (int c = 0; c < k; c++) {
            logWeights[c] = Math.log(this.weights[c]);
        }
        this.logDet = new double[k];
        for (int c = 0; c < k; c++) {
            logDet[c] = logDetOf(type, this.precChol, c, d);
        }
    }

    /** A mixture from stored parameters (weights, means, precision Cholesky factors as scikit-learn's). */
    public static GaussianMixture of(CovarianceType type, int d, float[] weights, float[] means, float[] precChol) {
        int k = weights.length;
        int per = type == CovarianceType.TIED ? d * d : type.precisionSize(d) * k;
        if (k < 1 || means.length != k * d || precChol.length != per) {
            throw new IllegalArgumentException("inconsistent mixture parameters: " + k + " weights, " + means.length
                    + " mean values, " + precChol.length + " precision values for d=" + d + ", " + type.id());
        }
        return new GaussianMixture(type, d, DenseMath.toDoubles(weights), DenseMath.toDoubles(means),
                DenseMath.toDoubles(precChol), true, 0, Double.NaN);
    }

    /**
     * Fits by EM.
     *
     * @throws IllegalStateException when a covariance is not positive definite even with
     *                               {@code regCovar} (the message suggests raising it)
     */
    public static GaussianMixture fit(float[] rows, int n, int d, Settings s, ProgressListener listener) {
        DenseMath.checkRows(rows, n, d, 2);
        if (s.components() < 1 || s.components() > n) {
            throw new IllegalArgumentException("components must be in 1.." + n + ", got " + s.components());
        }
        double[] x = DenseMath.toDoubles(rows);
        KMeans.Draws rng = KMeans.Draws.numpy(s.seed());
        GaussianMixture best = null;
        for (int init = 0; init < Math.max(1, s.nInit()); init++) {
            GaussianMixture m = new Em(x, n, d, s).run(rng, null, listener, init);
            if (best == null || m.lowerBound > best.lowerBound) {
                best = m;
            }
        }
        return best;
    }

    /**
     * EM from given initial labels (one per row, in 0..components-1) instead of k-means: scikit-learn's
     * algorithm from the same start, for tests against it.
     */
    public static GaussianMixture fitFromLabels(float[] rows, int n, int d, Settings s, int[] labels) {
        DenseMath.checkRows(rows, n, d, 2);
        if (labels.length != n) {
            throw new IllegalArgumentException("need " + n + " labels, got " + labels.length);
        }
        return new Em(DenseMath.toDoubles(rows), n, d, s).run(null, labels, ProgressListener.NONE, 0);
    }

    /** One EM run. */
    private static final class Em {
        private final double[] x;
        private final int n;
        private final int d;
        private final int k;
        private final Settings s;
        private final double[] resp; // n*k
        private double[] weights;
        private double[] means;
        private double[] precChol;
        private double[] logDet;
        private double[] centredScatter; // tied only: (X - xbar)'(X - xbar)
        private double[] xbar;
        private EngineEm engine; // full and tied: the products on the tensor engine

        Em(double[] x, int n, int d, Settings s) {
            this.x = x;
            this.n = n;
            this.d = d;
            this.k = s.components();
            this.s = s;
            this.resp = new double[n * k];
        }

        GaussianMixture run(KMeans.Draws rng, int[] givenLabels, ProgressListener listener, int init) {
            boolean onEngine = s.type() == CovarianceType.FULL || s.type() == CovarianceType.TIED;
            try (EngineEm e = onEngine ? new EngineEm(x, n, d, k) : null) {
                engine = e;
                return runEm(rng, givenLabels, listener, init);
            } finally {
                engine = null;
            }
        }

        private GaussianMixture runEm(KMeans.Draws rng, int[] givenLabels, ProgressListener listener, int init) {
            KMeans.Result km;
            if (givenLabels != null) {
                km = new KMeans.Result(givenLabels, null, 0, 0);
            } else if (s.lloyd()) {
                km = KMeans.fit(x, n, d, k, rng, 300);
            } else {
                int[] seeds = KMeans.seeds(x, n, d, k, rng);
                double[] centers = new double[k * d];
                for (int c = 0; c < k; c++) {
                    System.arraycopy(x, seeds[c] * d, centers, c * d, d);
                }
                double[] dist = new double[n];
                km = new KMeans.Result(KMeans.assign(x, n, d, centers, k, dist), centers, 0, 0);
            }
            for (int i = 0; i < n; i++) {
                resp[i * k + km.labels()[i]] = 1;
            }
            mStep();
            double lower = Double.NEGATIVE_INFINITY;
            boolean converged = false;
            int it = 0;
            String stage = s.nInit() > 1 ? "em " + (init + 1) + "/" + s.nInit() : "em";
            while (it < s.maxIter()) {
                it++;
                double prev = lower;
                lower = eStep();
                mStep();
                listener.progress(stage, it, s.maxIter());
                if (Math.abs(lower - prev) < s.tol()) {
                    converged = true;
                    break;
                }
            }
            return new GaussianMixture(s.type(), d, weights, means, precChol, converged, it, lower);
        }

        /** Responsibilities from the current parameters; returns the mean log-likelihood. */
        private double eStep() {
            if (engine != null) {
                return engine.eStep(s.type(), means, precChol, logDet, weights, resp);
            }
            double[] lse = new double[n];
            double[] logW = new double[k];
            for (int c = 0; c < k; c++) {
                logW[c] = Math.log(weights[c]);
            }
            DenseMath.parallelRanges(n, GRAIN, (from, to) -> {
                Scratch sc = new Scratch(d, k);
                for (int i = from; i < to; i += 4) {
                    int count = Math.min(4, to - i);
                    logProbs(s.type(), d, k, x, i, count, means, precChol, logDet, logW, sc);
                    for (int t = 0; t < count; t++) {
                        double l = DenseMath.logSumExp(sc.lp, t * k, k);
                        lse[i + t] = l;
                        for (int c = 0; c < k; c++) {
                            resp[(i + t) * k + c] = DenseMath.exp(sc.lp[t * k + c] - l);
                        }
                    }
                }
            });
            double sum = 0;
            for (double v : lse) {
                sum += v;
            }
            return sum / n;
        }

        /** Weights, means, covariances and their precision Cholesky factors from the responsibilities. */
        private void mStep() {
            double[] nk = new double[k];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < k; c++) {
                    nk[c] += resp[i * k + c];
                }
            }
            double[] rsum = nk.clone();
            for (int c = 0; c < k; c++) {
                nk[c] += EPS10;
            }
            double[] mu = new double[k * d];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < k; c++) {
                    double r = resp[i * k + c];
                    if (r != 0) {
                        int o = c * d;
                        int xi = i * d;
                        for (int j = 0; j < d; j++) {
                            mu[o + j] += r * x[xi + j];
                        }
                    }
                }
            }
            double[] sums = mu.clone();
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < d; j++) {
                    mu[c * d + j] /= nk[c];
                }
            }
            double total = 0;
            for (double v : nk) {
                total += v;
            }
            double[] w = new double[k];
            for (int c = 0; c < k; c++) {
                w[c] = nk[c] / total;
            }
            double[] pc = new double[s.type() == CovarianceType.TIED ? d * d : s.type().precisionSize(d) * k];
            switch (s.type()) {
                case FULL -> {
                    double[] scatter = engine.fullScatter(mu, sums, rsum, resp);
                    for (int c = 0; c < k; c++) {
                        double[] cov = new double[d * d];
                        for (int a = 0; a < d; a++) {
                            for (int b = 0; b <= a; b++) {
                                double v = scatter[c * d * d + a * d + b] / nk[c];
                                cov[a * d + b] = v;
                                cov[b * d + a] = v;
                            }
                            cov[a * d + a] += s.regCovar();
                        }
                        System.arraycopy(precisionCholesky(cov, c), 0, pc, c * d * d, d * d);
                    }
                }
                case TIED -> {
                    double[] cov = tiedCovariance(mu, nk, total);
                    System.arraycopy(precisionCholesky(cov, -1), 0, pc, 0, d * d);
                }
                case DIAG, SPHERICAL -> {
                    double[] var = diagVariances(mu, nk);
                    for (int c = 0; c < k; c++) {
                        if (s.type() == CovarianceType.DIAG) {
                            for (int j = 0; j < d; j++) {
                                pc[c * d + j] = 1 / Math.sqrt(checkedVariance(var[c * d + j], c));
                            }
                        } else {
                            double m = 0;
                            for (int j = 0; j < d; j++) {
                                m += var[c * d + j];
                            }
                            pc[c] = 1 / Math.sqrt(checkedVariance(m / d, c));
                        }
                    }
                }
            }
            weights = w;
            means = mu;
            precChol = pc;
            logDet = new double[k];
            for (int c = 0; c < k; c++) {
                logDet[c] = logDetOf(s.type(), pc, c, d);
            }
        }

        private double checkedVariance(double v, int c) {
            if (!(v > 0) || !Double.isFinite(v)) {
                throw illDefined(c);
            }
            return v;
        }

        private IllegalStateException illDefined(int c) {
            return new IllegalStateException("Gaussian mixture: the covariance of component " + c
                    + " is not positive definite (collapsed onto too few samples); raise reg_covar (now "
                    + s.regCovar() + "), use fewer components or another covariance type");
        }

        /** P = L^-T (upper) of cov; c = component for the message, -1 = tied. */
        private double[] precisionCholesky(double[] cov, int c) {
            double[] l = DenseMath.cholesky(cov, d, 0);
            if (l == null) {
                throw illDefined(c);
            }
            return DenseMath.transpose(DenseMath.invertLower(l, d), d);
        }

        /** (sum_i (x_i - xbar)(x_i - xbar)' - sum_k nk (mu_k - xbar)(mu_k - xbar)') / sum nk + reg I. */
        private double[] tiedCovariance(double[] mu, double[] nk, double total) {
            if (centredScatter == null) {
                xbar = DenseMath.columnMeans(x, n, d);
                double[] sc = new double[d * d];
                double[] z = new double[d];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < d; j++) {
                        z[j] = x[i * d + j] - xbar[j];
                    }
                    for (int a = 0; a < d; a++) {
                        double za = z[a];
                        for (int b = 0; b <= a; b++) {
                            sc[a * d + b] += za * z[b];
                        }
                    }
                }
                centredScatter = sc;
            }
            double[] cov = new double[d * d];
            double[] z = new double[d];
            double[] between = new double[d * d];
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < d; j++) {
                    z[j] = mu[c * d + j] - xbar[j];
                }
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b <= a; b++) {
                        between[a * d + b] += nk[c] * z[a] * z[b];
                    }
                }
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b <= a; b++) {
                    double v = (centredScatter[a * d + b] - between[a * d + b]) / total;
                    cov[a * d + b] = v;
                    cov[b * d + a] = v;
                }
                cov[a * d + a] += s.regCovar();
            }
            return cov;
        }

        /** sum_i r_ik (x_ij - mu_kj)^2 / nk + reg, k*d. */
        private double[] diagVariances(double[] mu, double[] nk) {
            double[] v = new double[k * d];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < k; c++) {
                    double r = resp[i * k + c];
                    if (r < SKIP) {
                        continue;
                    }
                    for (int j = 0; j < d; j++) {
                        double z = x[i * d + j] - mu[c * d + j];
                        v[c * d + j] += r * z * z;
                    }
                }
            }
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < d; j++) {
                    v[c * d + j] = v[c * d + j] / nk[c] + s.regCovar();
                }
            }
            return v;
        }
    }

    private static double logDetOf(CovarianceType type, double[] pc, int c, int d) {
        double s = 0;
        switch (type) {
            case FULL -> {
                for (int i = 0; i < d; i++) {
                    s += Math.log(pc[c * d * d + i * d + i]);
                }
            }
            case TIED -> {
                for (int i = 0; i < d; i++) {
                    s += Math.log(pc[i * d + i]);
                }
            }
            case DIAG -> {
                for (int i = 0; i < d; i++) {
                    s += Math.log(pc[c * d + i]);
                }
            }
            case SPHERICAL -> s = d * Math.log(pc[c]);
        }
        return s;
    }

    /** Per-thread buffers of {@link #logProbs}. */
    private static final class Scratch {
        final double[] y0;
        final double[] y1;
        final double[] y2;
        final double[] y3;
        final double[] lp; // 4 * k
        final double[] q = new double[4];

        Scratch(int d, int k) {
            y0 = new double[d];
            y1 = new double[d];
            y2 = new double[d];
            y3 = new double[d];
            lp = new double[4 * k];
        }
    }

    /**
     * {@code log w_c + log N(x; mu_c, Sigma_c)} of rows {@code first .. first+count-1} (count at most 4) of
     * {@code x} for every component, into {@code sc.lp[t*k + c]}. Rows are processed four at a time (a
     * missing row repeats the last one), each with exactly the operations it would get alone, so a row's
     * value does not depend on its neighbours: {@code -(d log 2pi + |P'(x - mu)|^2) / 2 + log det P}.
     */
    private static void logProbs(CovarianceType type, int d, int k, double[] x, int first, int count,
            double[] means, double[] pc, double[] logDet, double[] logW, Scratch sc) {
        int o0 = first * d;
        int o1 = (first + Math.min(1, count - 1)) * d;
        int o2 = (first + Math.min(2, count - 1)) * d;
        int o3 = (first + Math.min(3, count - 1)) * d;
        double[] q = sc.q;
        for (int c = 0; c < k; c++) {
            int mo = c * d;
            switch (type) {
                case FULL, TIED -> {
                    int base = type == CovarianceType.FULL ? c * d * d : 0;
                    double[] y0 = sc.y0;
                    double[] y1 = sc.y1;
                    double[] y2 = sc.y2;
                    double[] y3 = sc.y3;
                    Arrays.fill(y0, 0);
                    Arrays.fill(y1, 0);
                    Arrays.fill(y2, 0);
                    Arrays.fill(y3, 0);
                    for (int j = 0; j < d; j++) {
                        double m = means[mo + j];
                        double d0 = x[o0 + j] - m;
                        double d1 = x[o1 + j] - m;
                        double d2 = x[o2 + j] - m;
                        double d3 = x[o3 + j] - m;
                        int row = base + j * d;
                        for (int i = j; i < d; i++) {
                            double p = pc[row + i];
                            y0[i] += d0 * p;
                            y1[i] += d1 * p;
                            y2[i] += d2 * p;
                            y3[i] += d3 * p;
                        }
                    }
                    double q0 = 0;
                    double q1 = 0;
                    double q2 = 0;
                    double q3 = 0;
                    for (int i = 0; i < d; i++) {
                        q0 += y0[i] * y0[i];
                        q1 += y1[i] * y1[i];
                        q2 += y2[i] * y2[i];
                        q3 += y3[i] * y3[i];
                    }
                    q[0] = q0;
                    q[1] = q1;
                    q[2] = q2;
                    q[3] = q3;
                }
                case DIAG -> {
                    for (int t = 0; t < 4; t++) {
                        int o = t == 0 ? o0 : t == 1 ? o1 : t == 2 ? o2 : o3;
                        double acc = 0;
                        for (int j = 0; j < d; j++) {
                            double z = (x[o + j] - means[mo + j]) * pc[mo + j];
                            acc += z * z;
                        }
                        q[t] = acc;
                    }
                }
                case SPHERICAL -> {
                    for (int t = 0; t < 4; t++) {
                        int o = t == 0 ? o0 : t == 1 ? o1 : t == 2 ? o2 : o3;
                        double acc = 0;
                        for (int j = 0; j < d; j++) {
                            double z = x[o + j] - means[mo + j];
                            acc += z * z;
                        }
                        q[t] = acc * (pc[c] * pc[c]);
                    }
                }
            }
            for (int t = 0; t < count; t++) {
                sc.lp[t * k + c] = logW[c] + (-0.5 * (d * DenseMath.LOG_2PI + q[t]) + logDet[c]);
            }
        }
    }

    /** Log-likelihood of one row ({@code log sum_k w_k N(x; mu_k, Sigma_k)}). */
    public double logLikelihood(float[] row) {
        if (row.length != d) {
            throw new IllegalArgumentException("row has " + row.length + " values, expected " + d);
        }
        Scratch sc = new Scratch(d, k);
        logProbs(type, d, k, DenseMath.toDoubles(row), 0, 1, means, precChol, logDet, logWeights, sc);
        return DenseMath.logSumExp(sc.lp, 0, k);
    }

    /** Log-likelihoods of {@code n} row-major rows (in parallel; each as {@link #logLikelihood(float[])}). */
    public double[] logLikelihoods(float[] rows, int n) {
        if (rows.length != (long) n * d) {
            throw new IllegalArgumentException("expected " + n + "x" + d + " values, got " + rows.length);
        }
        double[] out = new double[n];
        DenseMath.parallelRanges(n, GRAIN, (from, to) -> {
            Scratch sc = new Scratch(d, k);
            double[] block = new double[4 * d];
            for (int i = from; i < to; i += 4) {
                int count = Math.min(4, to - i);
                for (int j = 0; j < count * d; j++) {
                    block[j] = rows[i * d + j];
                }
                logProbs(type, d, k, block, 0, count, means, precChol, logDet, logWeights, sc);
                for (int t = 0; t < count; t++) {
                    out[i + t] = DenseMath.logSumExp(sc.lp, t * k, k);
                }
            }
        });
        return out;
    }

    /** Free parameters, as scikit-learn's {@code _n_parameters}. */
    long parameterCount() {
        long cov = switch (type) {
            case FULL -> (long) k * d * (d + 1) / 2;
            case DIAG -> (long) k * d;
            case TIED -> (long) d * (d + 1) / 2;
            case SPHERICAL -> k;
        };
        return cov + (long) d * k + k - 1;
    }

    /** Bayesian information criterion on {@code rows}: {@code -2 sum log L + p ln n}. */
    public double bic(float[] rows, int n) {
        double sum = 0;
        for (double v : logLikelihoods(rows, n)) {
            sum += v;
        }
        return -2 * sum + parameterCount() * Math.log(n);
    }

    public int components() {
        return k;
    }

    public int dimension() {
        return d;
    }

    public CovarianceType type() {
        return type;
    }

    public boolean converged() {
        return converged;
    }

    public int iterations() {
        return iterations;
    }

    /** The final mean log-likelihood of the training data (NaN for a restored model). */
    public double lowerBound() {
        return lowerBound;
    }

    public float[] weights() {
        return DenseMath.toFloats(weights);
    }

    public float[] means() {
        return DenseMath.toFloats(means);
    }

    /** Precision Cholesky factors as scikit-learn's {@code precisions_cholesky_}, flattened. */
    public float[] precisionsCholesky() {
        return DenseMath.toFloats(precChol);
    }

    /** Covariances (full: k*d*d, tied: d*d, diag: k*d, spherical: k), from the precision factors. */
    public double[] covariances() {
        switch (type) {
            case FULL, TIED -> {
                int m = type == CovarianceType.FULL ? k : 1;
                double[] out = new double[m * d * d];
                for (int c = 0; c < m; c++) {
                    // Sigma = (P P')^-1 with P upper: inverse via P^-1 (upper) = (L^-1)^-1 transposed
                    double[] p = Arrays.copyOfRange(precChol, c * d * d, (c + 1) * d * d);
                    double[] pl = DenseMath.transpose(p, d); // lower = L^-1
                    double[] l = DenseMath.invertLower(pl, d); // L
                    for (int a = 0; a < d; a++) {
                        for (int b = 0; b < d; b++) {
                            double acc = 0;
                            for (int t = 0; t <= Math.min(a, b); t++) {
                                acc += l[a * d + t] * l[b * d + t];
                            }
                            out[c * d * d + a * d + b] = acc;
                        }
                    }
                }
                return out;
            }
            default -> {
                double[] out = new double[precChol.length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = 1 / (precChol[i] * precChol[i]);
                }
                return out;
            }
        }
    }
}
