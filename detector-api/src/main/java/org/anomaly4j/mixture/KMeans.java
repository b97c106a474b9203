package org.anomaly4j.mixture;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * k-means for initialising mixtures: greedy k-means++ seeding as scikit-learn's {@code kmeans_plusplus}
 * ({@code 2 + floor(ln k)} candidates per step, the one that lowers the potential most is kept), then
 * Lloyd iterations as scikit-learn's {@code KMeans(algorithm="lloyd")}: stop when no label changes or
 * the total squared centre shift falls to {@code 1e-4 * mean per-feature variance}; an empty cluster is
 * moved to the point farthest from its centre. The random draws come from a {@link Draws}: with
 * {@link Draws#numpy(long)} they are those of scikit-learn's {@code random_state=seed} (NumPy's legacy
 * {@code RandomState}), so the seeds are scikit-learn's for the same data and seed.
 */
public final class KMeans {
    private KMeans() {
    }

    /** The random draws of k-means++: a first row, then uniform numbers in [0, 1). */
    public interface Draws {
        /** A uniform index in {@code 0 .. n-1}. */
        int index(int n);

        /** A uniform double in [0, 1). */
        double uniform();

        /**
         * The draws scikit-learn makes with {@code random_state=seed}: {@code RandomState(seed).randint(n)}
         * then {@code uniform()}; the seed is taken modulo {@code 2^32} (NumPy's range).
         */
        static Draws numpy(long seed) {
            org.anomaly4j.data.NumpyLegacyRandom r = new org.anomaly4j.data.NumpyLegacyRandom(seed & 0xffffffffL);
            return new Draws() {
                @Override
                public int index(int n) {
                    return (int) r.randint(n);
                }

                @Override
                public double uniform() {
                    return r.randomSample();
                }
            };
        }

        /** Draws from a Java {@link SplittableRandom}. */
        static Draws of(SplittableRandom rng) {
            return new Draws() {
                @Override
                public int index(int n) {
                    return rng.nextInt(n);
                }

                @Override
                public double uniform() {
                    return rng.nextDouble();
                }
            };
        }
    }

    /** Labels and centres of a k-means run. */
    public record Result(int[] labels, double[] centers, double inertia, int iterations) {
    }

    /** Greedy k-means++: the indices of {@code k} seed rows. */
    public static int[] seeds(double[] x, int n, int d, int k, Draws rng) {
        if (k > n) {
            throw new IllegalArgumentException("k = " + k + " exceeds the number of samples " + n);
        }
        int trials = 2 + (int) Math.log(k);
        int[] idx = new int[k];
        idx[0] = rng.index(n);
        double[] closest = new double[n];
        double pot = 0;
        for (int i = 0; i < n; i++) {
            closest[i] = sq(x, i, x, idx[0], d);
            pot += closest[i];
        }
        double[] cum = new double[n];
        double[] cand = new double[n];
        double[] best = new double[n];
        for (int c = 1; c < k; c++) {
            double acc = 0;
            for (int i = 0; i < n; i++) {
                acc += closest[i];
                cum[i] = acc;
            }
            int bestId = -1;
            double bestPot = Double.POSITIVE_INFINITY;
            for (int t = 0; t < trials; t++) {
                double r = rng.uniform() * pot;
                int id = Arrays.binarySearch(cum, r);
                id = id >= 0 ? id : -id - 1; // numpy searchsorted(side="left")
                id = Math.min(id, n - 1);
                double p = 0;
                for (int i = 0; i < n; i++) {
                    cand[i] = Math.min(closest[i], sq(x, i, x, id, d));
                    p += cand[i];
                }
                if (p < bestPot) {
                    bestPot = p;
                    bestId = id;
                    System.arraycopy(cand, 0, best, 0, n);
                }
            }
            idx[c] = bestId;
            pot = bestPot;
            System.arraycopy(best, 0, closest, 0, n);
        }
        return idx;
    }

    /** k-means++ seeding then Lloyd iterations (at most {@code maxIter}). */
    public static Result fit(double[] x, int n, int d, int k, Draws rng, int maxIter) {
        int[] s = seeds(x, n, d, k, rng);
        double[] centers = new double[k * d];
        for (int c = 0; c < k; c++) {
            System.arraycopy(x, s[c] * d, centers, c * d, d);
        }
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[i * d + j];
            }
        }
        double meanVar = 0;
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double z = x[i * d + j] - mean[j];
                meanVar += z * z;
            }
        }
        double tol = 1e-4 * meanVar / ((double) n * d);
        int[] labels = assign(x, n, d, centers, k, new double[n]);
        int it = 0;
        while (it < maxIter) {
            it++;
            double[] dist = new double[n];
            double[] next = update(x, n, d, k, labels, centers);
            double shift = 0;
            for (int i = 0; i < k * d; i++) {
                double z = next[i] - centers[i];
                shift += z * z;
            }
            centers = next;
            int[] relabel = assign(x, n, d, centers, k, dist);
            boolean same = Arrays.equals(relabel, labels);
            labels = relabel;
            if (same || shift <= tol) {
                break;
            }
        }
        double[] dist = new double[n];
        labels = assign(x, n, d, centers, k, dist);
        double inertia = 0;
        for (double v : dist) {
            inertia += v;
        }
        return new Result(labels, centers, inertia, it);
    }

    /** Labels of the nearest centre (in parallel over rows); {@code dist} receives the squared distances. */
    public static int[] assign(double[] x, int n, int d, double[] centers, int k, double[] dist) {
        int[] labels = new int[n];
        DenseMath.parallelRanges(n, 1024, (from, to) -> {
            for (int i = from; i < to; i++) {
                double best = Double.POSITIVE_INFINITY;
                int arg = 0;
                for (int c = 0; c < k; c++) {
                    double s = sq(x, i, centers, c, d);
                    if (s < best) {
                        best = s;
                        arg = c;
                    }
                }
                labels[i] = arg;
                dist[i] = best;
            }
        });
        return labels;
    }

    /** New centres from labels; an empty cluster takes the point farthest from its current centre. */
    private static double[] update(double[] x, int n, int d, int k, int[] labels, double[] centers) {
        double[] sums = new double[k * d];
        int[] counts = new int[k];
        for (int i = 0; i < n; i++) {
            int c = labels[i];
            counts[c]++;
            for (int j = 0; j < d; j++) {
                sums[c * d + j] += x[i * d + j];
            }
        }
        for (int c = 0; c < k; c++) {
            if (counts[c] == 0) {
                int far = 0;
                double farD = -1;
                for (int i = 0; i < n; i++) {
                    double s = sq(x, i, centers, labels[i], d);
                    if (s > farD && counts[labels[i]] > 1) {
                        farD = s;
                        far = i;
                    }
                }
                int old = labels[far];
                counts[old]--;
                for (int j = 0; j < d; j++) {
                    sums[old * d + j] -= x[far * d + j];
                    sums[c * d + j] = x[far * d + j];
                }
                counts[c] = 1;
                labels[far] = c;
            }
        }
        double[] out = new double[k * d];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                out[c * d + j] = sums[c * d + j] / counts[c];
            }
        }
        return out;
    }

    private static double sq(double[] a, int ia, double[] b, int ib, int d) {
        int oa = ia * d;
        int ob = ib * d;
        double s = 0;
        for (int j = 0; j < d; j++) {
            double z = a[oa + j] - b[ob + j];
            s += z * z;
        }
        return s;
    }
}
