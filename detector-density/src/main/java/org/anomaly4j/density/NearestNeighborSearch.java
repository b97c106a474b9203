package org.anomaly4j.density;

import java.util.Arrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.anomaly4j.tensor.Tensors;

/**
 * Exact k-nearest-neighbour Euclidean distances from query rows to a fixed set of training rows, by
 * blocked matrix products on the tensor device.
 *
 * <p>For a block of queries, one float32 product {@code [q, 1] x [-2 T', |t|^2]} gives
 * {@code |t|^2 - 2 q.t}, which orders the training rows as the squared distance does (the query's own
 * norm is constant per row). The {@code k + margin} smallest of each row are taken as candidates (a
 * Java selection, in parallel over queries), and their distances are recomputed exactly in double as
 * {@code sqrt(sum (q_j - t_j)^2)} and sorted. The float32 product only has to rank the true k nearest
 * among the candidates, which its rounding (about 1e-6 of the squared norms) cannot upset unless
 * neighbours tie within it; the returned distances are exact and do not depend on how queries are
 * batched.
 *
 * <p>Thread-safe: each call works in its own sub-manager. Close to free the native training matrix.
 */
final class NearestNeighborSearch implements AutoCloseable {
    /** Values per block of the product (about 64 MB of float32 at 16M). */
    private static final long BLOCK_VALUES = 1L << 24;
    private static final int GRAIN = 64;

    private final int n;
    private final int d;
    private final float[] train; // n*d
    private final NDManager root;
    private final NDArray augmented; // (d+1) x n: -2 T' over |t|^2

    private NearestNeighborSearch(float[] train, int n, int d) {
        this.n = n;
        this.d = d;
        this.train = train;
        float[] aug = new float[(d + 1) * n];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                float v = train[i * d + j];
                aug[j * n + i] = -2f * v;
                norm += (double) v * v;
            }
            aug[d * n + i] = (float) norm;
        }
        NDManager m = Tensors.newRootManager();
        try {
            this.augmented = m.create(aug, new Shape(d + 1, n));
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        this.root = m;
    }

    /** Builds the search over {@code n} row-major training rows of dimension {@code d} (the array is kept). */
    static NearestNeighborSearch of(float[] train, int n, int d) {
        DenseMath.checkRows(train, n, d, 1);
        return new NearestNeighborSearch(train, n, d);
    }

    int size() {
        return n;
    }

    int dimension() {
        return d;
    }

    /** The training rows (not a copy: do not modify). */
    float[] trainRows() {
        return train;
    }

    /** Native arrays alive under this search's manager. */
    int liveTensorCount() {
        return Tensors.liveArrays(root);
    }

    /**
     * The {@code k} smallest Euclidean distances of each of {@code m} query rows, ascending:
     * row-major {@code m x k} doubles.
     */
    double[] kNearest(float[] queries, int m, int k) {
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k must be in 1.." + n + " (training rows), got " + k);
        }
        if (queries.length != (long) m * d) {
            throw new IllegalArgumentException("expected " + m + "x" + d + " query values, got " + queries.length);
        }
        int cand = Math.min(n, k + Math.max(8, k));
        double[] out = new double[m * k];
        int block = (int) Math.max(1, Math.min(m, BLOCK_VALUES / n));
        for (int start = 0; start < m; start += block) {
            int bm = Math.min(block, m - start);
            float[] scores;
            try (NDManager sub = root.newSubManager()) {
                float[] q = new float[bm * (d + 1)];
                for (int i = 0; i < bm; i++) {
                    System.arraycopy(queries, (start + i) * d, q, i * (d + 1), d);
                    q[i * (d + 1) + d] = 1f;
                }
                NDArray qa = sub.create(q, new Shape(bm, d + 1));
                scores = qa.matMul(augmented).toFloatArray();
            }
            final int s0 = start;
            DenseMath.parallelRanges(bm, GRAIN, (from, to) -> {
                int[] idx = new int[cand];
                float[] val = new float[cand];
                double[] exact = new double[cand];
                for (int r = from; r < to; r++) {
                    select(scores, r * n, n, cand, idx, val);
                    int qo = (s0 + r) * d;
                    for (int c = 0; c < cand; c++) {
                        int to2 = idx[c] * d;
                        double acc = 0;
                        for (int j = 0; j < d; j++) {
                            double z = (double) queries[qo + j] - train[to2 + j];
                            acc += z * z;
                        }
                        exact[c] = Math.sqrt(acc);
                    }
                    Arrays.sort(exact, 0, cand);
                    System.arraycopy(exact, 0, out, (s0 + r) * k, k);
                }
            });
        }
        return out;
    }

    /** Indices of the {@code c} smallest values of {@code v[off .. off+len)} (insertion into a sorted buffer). */
    private static void select(float[] v, int off, int len, int c, int[] idx, float[] val) {
        int filled = 0;
        float worst = Float.POSITIVE_INFINITY;
        for (int i = 0; i < len; i++) {
            float x = v[off + i];
            if (filled == c && !(x < worst)) {
                continue;
            }
            int p = filled == c ? c - 1 : filled++;
            while (p > 0 && val[p - 1] > x) {
                val[p] = val[p - 1];
                idx[p] = idx[p - 1];
                p--;
            }
            val[p] = x;
            idx[p] = i;
            worst = val[filled - 1];
        }
    }

    @Override
    public void close() {
        root.close();
    }
}
