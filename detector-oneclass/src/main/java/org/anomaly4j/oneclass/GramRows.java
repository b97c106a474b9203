package org.anomaly4j.oneclass;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.anomaly4j.tensor.Tensors;

/**
 * Rows of the training kernel matrix {@code K[i, :]} for the SMO solver, as libsvm's {@code Qfloat}
 * rows (float), behind a least-recently-used cache of a fixed size in bytes. Rows are computed in
 * blocks: the dot products by one engine matrix product ({@link Gemm}), the kernel in Java double.
 * The diagonal is exact ({@link #diagonal()}, also written into each row).
 *
 * <p>Not thread-safe: one solver owns it. Holds the training rows in native memory until closed.
 */
final class GramRows implements SmoSolver.Rows, AutoCloseable {
    /** Rows computed together on a cache miss (the missing one and the solver's best guesses). */
    static final int SPECULATIVE_ROWS = 128;
    /** Most kernel values computed per engine call (bounds the temporary memory to 64 MiB). */
    private static final int MAX_BLOCK_VALUES = 1 << 24;

    private final int n;
    private final int d;
    private final float[] x;
    private final KernelFunction kernel;
    private final double[] sq;
    private final double[] diag;
    private final NDManager manager;
    private final NDArray xT; // [d, n]
    private final int capacity;
    private final LinkedHashMap<Integer, float[]> cache;
    private long computed;
    private long calls;
    private long nanos;

    /**
     * @param rows     {@code n x d} row-major training vectors (not copied; must not change)
     * @param cacheMb  cache size in MiB (at least two rows are always kept)
     */
    GramRows(float[] rows, int n, int d, KernelFunction kernel, double cacheMb) {
        this.n = n;
        this.d = d;
        this.x = rows;
        this.kernel = kernel;
        this.sq = KernelFunction.squaredNorms(rows, n, d);
        this.diag = new double[n];
        for (int i = 0; i < n; i++) {
            diag[i] = kernel.self(sq[i]);
        }
        long bytes = (long) (cacheMb * (1 << 20));
        this.capacity = (int) Math.max(2, Math.min(n, bytes / (4L * n)));
        this.cache = new LinkedHashMap<>(Math.min(capacity, 1 << 16) * 2, 0.75f, true);
        this.manager = Tensors.newRootManager();
        try {
            float[] t = new float[n * d];
            for (int i = 0; i < n; i++) {
                int o = i * d;
                for (int j = 0; j < d; j++) {
                    t[j * n + i] = rows[o + j];
                }
            }
            this.xT = manager.create(t, new Shape(d, n));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    @Override
    public int size() {
        return n;
    }

    @Override
    public double[] diagonal() {
        return diag;
    }

    /** How many rows the cache holds at most. */
    int capacity() {
        return capacity;
    }

    @Override
    public boolean isCached(int i) {
        return cache.containsKey(i);
    }

    @Override
    public int cacheRows() {
        return capacity;
    }

    @Override
    public int blockRows() {
        return Math.min(SPECULATIVE_ROWS, capacity / 2);
    }

    @Override
    public float[] row(int i) {
        float[] r = cache.get(i);
        if (r == null) {
            r = compute(new int[] {i}).get(0);
            put(i, r);
        }
        return r;
    }

    @Override
    public void prefetch(int[] indices) {
        List<Integer> missing = new ArrayList<>();
        for (int i : indices) {
            if (!cache.containsKey(i)) {
                missing.add(i);
            }
        }
        int limit = Math.min(missing.size(), capacity);
        int step = Math.max(1, Math.min(Gemm.BLOCK_ROWS, MAX_BLOCK_VALUES / n));
        for (int from = 0; from < limit; from += step) {
            int[] idx = missing.subList(from, Math.min(limit, from + step)).stream()
                    .mapToInt(Integer::intValue).toArray();
            List<float[]> rows = compute(idx);
            for (int k = 0; k < idx.length; k++) {
                put(idx[k], rows.get(k));
            }
        }
    }

    private void put(int i, float[] row) {
        cache.put(i, row);
        if (cache.size() > capacity) {
            var it = cache.entrySet().iterator();
            it.next();
            it.remove();
        }
    }

    private List<float[]> compute(int[] idx) {
        long t0 = System.nanoTime();
        int b = idx.length;
        float[] a = new float[b * d];
        for (int k = 0; k < b; k++) {
            System.arraycopy(x, idx[k] * d, a, k * d, d);
        }
        float[] dots = Gemm.dots(manager, xT, a, b, d);
        float[][] out = new float[b][];
        IntStream rowsStream = IntStream.range(0, b);
        (b >= 4 ? rowsStream.parallel() : rowsStream).forEach(k -> {
            int i = idx[k];
            float[] r = new float[n];
            int o = k * n;
            double si = sq[i];
            for (int j = 0; j < n; j++) {
                r[j] = (float) kernel.value(dots[o + j], si, sq[j]);
            }
            r[i] = (float) diag[i];
            out[k] = r;
        });
        computed += b;
        calls++;
        nanos += System.nanoTime() - t0;
        return List.of(out);
    }

    /** Statistics for provenance notes: rows computed, engine calls, seconds. */
    Map<String, String> stats() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("kernel_rows_computed", Long.toString(computed));
        m.put("kernel_row_blocks", Long.toString(calls));
        m.put("kernel_seconds", String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e9));
        m.put("cache_rows", Integer.toString(capacity));
        return m;
    }

    @Override
    public void close() {
        manager.close();
    }
}
