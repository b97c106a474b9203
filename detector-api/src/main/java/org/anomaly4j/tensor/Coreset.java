package org.anomaly4j.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.anomaly4j.api.InvalidConfigException;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.data.NumpyRandom;

/**
 * k-center greedy coreset selection, as PatchCore (and anomalib's {@code KCenterGreedy}) uses it to
 * shrink a memory bank of patch features.
 *
 * <h2>Semantics</h2>
 * Given an {@code [n, d]} bank and a ratio, {@code m = floor(n * ratio)} indices are picked: a start
 * index is drawn from the seed exactly as the reference draws it, {@code numpy.random.default_rng(seed).integers(n)}
 * (it is <em>not</em> itself part of the coreset); then {@code m} times:
 * the minimum distance of every row to the last pick is updated, the row with the largest minimum
 * distance is picked (ties: the lowest row index) and its distance is set to 0. A ratio of exactly 1
 * returns every row, in order (as the reference does: no selection at all). Distances are Euclidean,
 * computed in double precision from the float32 values; they may be taken after a sparse random
 * projection ({@link Projection}).
 *
 * <h2>Algorithms</h2>
 * <ul>
 * <li>{@link Method#EXACT}: the plain loop, {@code O(n m d)}, rows split over threads. The reference.</li>
 * <li>{@link Method#FAST} (default): the same picks, in the same order, restructured.
 * <ol>
 * <li><b>Rounds.</b> A round takes the {@code T} rows of largest minimum distance as candidates
 * ({@code T} = {@link Builder#optCandidates}, default 2048) and {@code theta}, an upper bound of every
 * other row's minimum distance. Minimum distances only shrink, so while the best candidate, updated
 * for every pick of the round so far, is still above {@code theta}, it is exactly the row the plain
 * loop would pick next. Candidates are updated through their Gram matrix (one {@code T x T} matrix
 * product per round). Rounds on MTD make hundreds of picks each.</li>
 * <li><b>Lazy refresh.</b> Every row keeps an upper bound of its minimum distance that is exact for the
 * picks up to some round. Before a round, rows are refreshed in decreasing order of their bound until
 * the {@code T} largest exact values are known to dominate all the others: rows far below the running
 * radius wait until it comes down to them (on the MTD bank half of the {@code n m} row-pick pairs are
 * never computed).</li>
 * <li><b>Engine products.</b> A refresh is a float32 matrix product {@code [picks, d] x [d, rows]}
 * on the engine, whose two nearest picks per row are found in Java. Float32 only <em>screens</em>: a
 * distance is taken only after recomputing it in double, whenever a rigorous bound on the float32
 * error ({@code (2 d + 8) 2^-24 (|x|^2 + |c|^2)}) cannot rule the pair out. Hence the identical
 * picks.</li>
 * <li><b>Threads.</b> Engine work runs on {@link Builder#optThreads} worker threads that each run the
 * engine with one intra-op thread (the caller's engine thread count is restored afterwards): on a
 * shared 2-core machine two single-threaded products ran 5x faster than one two-threaded product,
 * whose OpenMP hand-offs stall whenever a core is busy elsewhere. While a selection runs, threads
 * that first touch the engine start with one intra-op thread.</li>
 * </ol>
 * It trades the loop's {@code m} memory-bound matrix-vector passes ({@code 4 n d} bytes each) for
 * compute-bound matrix products over about half the pairs.</li>
 * </ul>
 *
 * <h2>Memory</h2>
 * EXACT needs {@code 8 n} bytes of distances besides the bank. FAST needs {@code 20 n} bytes (bounds,
 * norms, rounds), two float32 copies of the picks ({@code 4 m d'} bytes each: one on the engine for the
 * products, one in Java, contiguous in pick order, for the exact rechecks), a {@code T x T}
 * Gram matrix ({@code 4 T^2} bytes: 16 MiB at T = 2048) and per worker one score block (at most
 * 4 MiB natively, read in place). A projection stores the projected bank
 * ({@code 4 n d'} bytes).
 *
 * <pre>{@code
 * Coreset.Selection s = Coreset.builder().setRatio(0.1).optSeed(0).build().select(bank, n, d, listener);
 * int[] keep = s.indices();
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe; {@link #select} keeps all its state local.
 */
public final class Coreset {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Coreset.class);

    /** The progress stage reported by {@link #select}. */
    public static final String STAGE = "coreset";

    /** Which algorithm runs the greedy loop. */
    public enum Method {
        /** The plain {@code O(n m d)} loop: the reference. */
        EXACT,
        /** The same picks, in rounds of candidate picks and engine matrix products. */
        FAST
    }

    private final double ratio;
    private final long seed;
    private final Projection projection;
    private final Method method;
    private final int threads;
    private final int startIndex;
    private final int candidates;

    private Coreset(Builder b) {
        this.ratio = b.ratio;
        this.seed = b.seed;
        this.projection = b.projection;
        this.method = b.method;
        this.threads = b.threads;
        this.startIndex = b.startIndex;
        this.candidates = b.candidates;
    }

    /** A builder; {@link Builder#setRatio} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The coreset ratio in (0, 1]. */
    public double ratio() {
        return ratio;
    }

    /** The seed of the start index and of the projection. */
    public long seed() {
        return seed;
    }

    /** The projection applied before distances are taken. */
    public Projection projection() {
        return projection;
    }

    /** The algorithm. */
    public Method method() {
        return method;
    }

    /** The result of a selection. */
    public static final class Selection {
        private final int[] indices;
        private final int startIndex;
        private final int dimension;
        private final long distanceEvaluations;
        private final double seconds;

        Selection(int[] indices, int startIndex, int dimension, long distanceEvaluations, double seconds) {
            this.indices = indices;
            this.startIndex = startIndex;
            this.dimension = dimension;
            this.distanceEvaluations = distanceEvaluations;
            this.seconds = seconds;
        }

        /** The picked rows of the bank, in pick order (a copy). */
        public int[] indices() {
            return indices.clone();
        }

        /** Number of picked rows. */
        public int size() {
            return indices.length;
        }

        /** The start row drawn from the seed (not part of the coreset), or -1 when the ratio was 1. */
        public int startIndex() {
            return startIndex;
        }

        /** The dimension distances were taken in (the projected one, or the bank's). */
        public int dimension() {
            return dimension;
        }

        /** Row-to-pick distances computed in double precision; {@code n * m} for EXACT. */
        public long distanceEvaluations() {
            return distanceEvaluations;
        }

        /** Wall-clock seconds of the whole selection (projection included). */
        public double seconds() {
            return seconds;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "Selection[%d rows, start %d, dim %d, %d distance evaluations, %.2fs]",
                    indices.length, startIndex, dimension, distanceEvaluations, seconds);
        }
    }

    /** The coreset size for {@code rows} and {@code ratio}: {@code floor(rows * ratio)}, as Python's {@code int()}. */
    public static int coresetSize(int rows, double ratio) {
        checkRatio(ratio);
        return (int) Math.floor(rows * ratio);
    }

    /**
     * Picks the coreset of the {@code rows x dim} row-major {@code bank}.
     *
     * @throws IllegalArgumentException for an empty bank, a bank whose length is not
     *                                  {@code rows * dim}, a NaN or infinite value (naming row and column),
     *                                  or a ratio that leaves no row to pick
     */
    public Selection select(float[] bank, int rows, int dim, ProgressListener listener) {
        ProgressListener l = listener == null ? ProgressListener.NONE : listener;
        long t0 = System.nanoTime();
        checkBank(bank, rows, dim);
        if (ratio == 1.0) {
            int[] all = new int[rows];
            Arrays.setAll(all, i -> i);
            l.progress(STAGE, rows, rows);
            return new Selection(all, -1, dim, 0, (System.nanoTime() - t0) / 1e9);
        }
        int m = coresetSize(rows, ratio);
        if (m < 1) {
            throw new InvalidConfigException("ratio", "ratio " + ratio + " of " + rows
                    + " rows leaves no row to pick (floor(rows * ratio) = 0)");
        }
        int start = startIndex >= 0 ? startIndex
                : seed >= 0 ? NumpyRandom.integers(seed, rows) : new SplittableRandom(seed).nextInt(rows);
        if (start >= rows) {
            throw new IllegalArgumentException("start index " + start + " is outside the bank of " + rows + " rows");
        }
        int k = projection.targetDim(rows, dim);
        float[] x = bank;
        int d = dim;
        if (k > 0) {
            x = projection.project(bank, rows, dim, k, seed);
            d = k;
        }
        int[] picks;
        long evals;
        if (method == Method.EXACT) {
            int nt = Math.max(1, Math.min(threads, rows / 4096 + 1));
            ExecutorService pool = nt > 1 ? Executors.newFixedThreadPool(nt - 1, r -> {
                Thread t = new Thread(r, "anomaly4j-coreset");
                t.setDaemon(true);
                return t;
            }) : null;
            try {
                picks = exactGreedy(x, rows, d, m, start, nt, pool, l);
                evals = (long) rows * m;
            } finally {
                if (pool != null) {
                    pool.shutdownNow();
                }
            }
        } else {
            try (Workers w = new Workers(threads)) {
                Rounds r = new Rounds(x, rows, d, candidates, w);
                picks = r.run(start, m, l);
                evals = r.evaluations.sum();
            }
        }
        return new Selection(picks, start, d, evals, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The coverage radius of a selection: the largest distance from any bank row to its nearest
     * selected row (exact; computed with {@link NearestNeighbors}).
     */
    public static double coverage(float[] bank, int rows, int dim, int[] selected) {
        checkBank(bank, rows, dim);
        if (selected == null || selected.length == 0) {
            throw new IllegalArgumentException("no rows selected");
        }
        float[] sel = new float[selected.length * dim];
        for (int i = 0; i < selected.length; i++) {
            int s = selected[i];
            if (s < 0 || s >= rows) {
                throw new IllegalArgumentException("selected row " + s + " is outside the bank of " + rows + " rows");
            }
            System.arraycopy(bank, s * dim, sel, i * dim, dim);
        }
        NearestNeighbors.Result r = NearestNeighbors.builder(sel, selected.length, dim).build()
                .search(bank, rows, 1);
        double worst = 0;
        for (int q = 0; q < rows; q++) {
            worst = Math.max(worst, r.distance(q, 0));
        }
        return worst;
    }

    // ------------------------------------------------------------------------------------ checks

    private static void checkRatio(double ratio) {
        if (Double.isNaN(ratio)) {
            throw new InvalidConfigException("ratio", "coreset ratio is NaN; it must be in (0, 1]");
        }
        if (!(ratio > 0) || ratio > 1) {
            throw new InvalidConfigException("ratio", "coreset ratio must be in (0, 1], got " + ratio);
        }
    }

    static void checkBank(float[] bank, int rows, int dim) {
        if (bank == null) {
            throw new IllegalArgumentException("bank is null");
        }
        if (rows <= 0) {
            throw new IllegalArgumentException("the bank is empty (" + rows + " rows): nothing to select from");
        }
        if (dim <= 0) {
            throw new IllegalArgumentException("bank dimension must be positive, got " + dim);
        }
        if ((long) rows * dim != bank.length) {
            throw new IllegalArgumentException("bank has " + bank.length + " values, expected rows x dim = " + rows
                    + " x " + dim + " = " + (long) rows * dim);
        }
        for (int i = 0; i < bank.length; i++) {
            if (!Float.isFinite(bank[i])) {
                throw new IllegalArgumentException("bank value at row " + (i / dim) + ", column " + (i % dim) + " is "
                        + bank[i] + ": every value must be finite");
            }
        }
    }

    // ------------------------------------------------------------------------------------ distances

    /**
     * Squared distance between the rows at offsets {@code xo} and {@code co} of {@code x},
     * accumulated in double. Both algorithms use exactly this function, so their distances are
     * bit-identical.
     */
    static double dist2(float[] x, int xo, int co, int d) {
        return dist2(x, xo, x, co, d);
    }

    /** {@link #dist2(float[], int, int, int)} with the second row in another array (same arithmetic, same bits). */
    static double dist2(float[] x, int xo, float[] c, int co, int d) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < d; i += 4) {
            double a0 = (double) x[xo + i] - c[co + i];
            double a1 = (double) x[xo + i + 1] - c[co + i + 1];
            double a2 = (double) x[xo + i + 2] - c[co + i + 2];
            double a3 = (double) x[xo + i + 3] - c[co + i + 3];
            s0 += a0 * a0;
            s1 += a1 * a1;
            s2 += a2 * a2;
            s3 += a3 * a3;
        }
        for (; i < d; i++) {
            double a = (double) x[xo + i] - c[co + i];
            s0 += a * a;
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static void report(ProgressListener l, int done, int total) {
        int every = Math.max(1, total / 200);
        if (done == total || done % every == 0) {
            l.progress(STAGE, done, total);
        }
    }

    // ------------------------------------------------------------------------------------ exact

    private static int[] exactGreedy(float[] x, int n, int d, int m, int start, int nt, ExecutorService pool,
            ProgressListener l) {
        double[] minD = new double[n];
        Arrays.fill(minD, Double.POSITIVE_INFINITY);
        int[] sel = new int[m];
        int idx = start;
        int[] bounds = new int[nt + 1];
        for (int t = 0; t <= nt; t++) {
            bounds[t] = (int) ((long) n * t / nt);
        }
        int[] argT = new int[nt];
        for (int i = 0; i < m; i++) {
            final int co = idx * d;
            if (nt == 1) {
                argT[0] = exactRange(x, d, co, minD, 0, n);
            } else {
                Future<?>[] fs = new Future<?>[nt - 1];
                for (int t = 1; t < nt; t++) {
                    final int tt = t;
                    fs[t - 1] = pool.submit(() -> argT[tt] = exactRange(x, d, co, minD, bounds[tt], bounds[tt + 1]));
                }
                argT[0] = exactRange(x, d, co, minD, bounds[0], bounds[1]);
                join(fs);
            }
            int best = argT[0];
            for (int t = 1; t < nt; t++) {
                if (minD[argT[t]] > minD[best]) {
                    best = argT[t];
                }
            }
            idx = best;
            minD[idx] = 0;
            sel[i] = idx;
            report(l, i + 1, m);
        }
        return sel;
    }

    /** Updates rows [from, to) with centre c; returns the first row of the largest minimum distance. */
    private static int exactRange(float[] x, int d, int co, double[] minD, int from, int to) {
        int best = from;
        double bestV = -1;
        for (int p = from; p < to; p++) {
            double v = Math.sqrt(dist2(x, p * d, co, d));
            double m = minD[p];
            if (v < m) {
                minD[p] = v;
                m = v;
            }
            if (m > bestV) {
                bestV = m;
                best = p;
            }
        }
        return best;
    }

    private static void join(Future<?>[] fs) {
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("coreset selection interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    // ------------------------------------------------------------------------------------ rounds

    /**
     * {@link Method#FAST}: candidate rounds on the CPU; rows refreshed lazily with engine matrix
     * products. Every row keeps an upper bound of its minimum distance that is exact with respect
     * to the picks of rounds {@code <= rho[row]}. Before a round, rows are refreshed in order of
     * decreasing bound until the candidates (the largest exact values) are known to dominate every
     * row not refreshed; rows far below the running radius are not touched again until the radius
     * comes down to them. Engine work runs on the worker threads, one engine thread each.
     */
    static final class Rounds {
        /** Float32 unit roundoff. */
        private static final double U = 0x1p-24;
        /** Relative slack on top of the float32 error bound, against double rounding in the comparisons. */
        private static final double SLACK = 1e-12;
        /** Rows refreshed per step of {@link #prepare}. */
        private static final int ROW_BLOCK = 8192;
        /** Rows per engine task. */
        private static final int ROW_TASK = 2048;
        /** Picks per engine product. */
        private static final int PICK_BLOCK = 512;
        /** Never refreshed again: the picks themselves (distance 0). */
        private static final int DONE = Integer.MAX_VALUE;

        private final float[] x;
        private final int n;
        private final int d;
        private final int t;
        private final double gamma;
        private final double[] sq;
        private final double[] minD;
        private final int[] rho;
        private final Workers workers;
        /** The start row, then every pick in order. */
        private int[] allPicks;
        /** Round r's picks are allPicks[roundOff[r], roundOff[r + 1]); round 0 is the start row. */
        private int[] roundOff;
        private NDArray pickTensor;
        /** The rows of allPicks, contiguous in pick order: exact rechecks read them sequentially. */
        private float[] pickRows;
        private final BufferPool buffers = new BufferPool();
        private double lastTheta = Double.POSITIVE_INFINITY;
        final java.util.concurrent.atomic.LongAdder evaluations = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder pairsScreened = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder engineNanos = new java.util.concurrent.atomic.LongAdder();
        int rounds;
        long refreshNanos;
        long roundNanos;

        Rounds(float[] x, int n, int d, int candidates, Workers workers) {
            this.x = x;
            this.n = n;
            this.d = d;
            this.t = Math.min(n, candidates);
            this.gamma = (2.0 * d + 8) * U;
            this.workers = workers;
            sq = new double[n];
            for (int p = 0; p < n; p++) {
                double s = 0;
                int o = p * d;
                for (int i = 0; i < d; i++) {
                    double v = x[o + i];
                    s += v * v;
                }
                sq[p] = s;
            }
            minD = new double[n];
            Arrays.fill(minD, Double.POSITIVE_INFINITY);
            rho = new int[n];
            Arrays.fill(rho, -1);
        }

        int[] run(int start, int m, ProgressListener l) {
            allPicks = new int[m + 1];
            allPicks[0] = start;
            pickRows = new float[Math.multiplyExact(m + 1, d)];
            roundOff = new int[m + 2];
            roundOff[1] = 1;
            int picked = 0;
            int r = 0;
            try (NDManager mgr = NDManager.newBaseManager(Devices.current(), "PyTorch")) {
                pickTensor = mgr.zeros(new Shape(m + 1, d), DataType.FLOAT32);
                storePicks(0);
                long a0 = System.nanoTime();
                refreshAll(mgr, 0);
                refreshNanos += System.nanoTime() - a0;
                int[] cand = new int[t];
                double[] cv = new double[t];
                while (picked < m) {
                    r++;
                    rounds++;
                    long q0 = System.nanoTime();
                    double theta = prepare(mgr, cand, r - 1);
                    if (Double.isNaN(theta)) {
                        // a tie at the candidate boundary: make every row exact and choose as the plain loop does
                        refreshAll(mgr, r - 1);
                        theta = exactCandidates(cand);
                    }
                    lastTheta = theta;
                    long q1 = System.nanoTime();
                    refreshNanos += q1 - q0;
                    float[] gram = gram(mgr, cand);
                    for (int j = 0; j < t; j++) {
                        cv[j] = minD[cand[j]];
                    }
                    int b = 0;
                    while (picked < m) {
                        int j = argmax(cv, cand);
                        if (b > 0 && !(cv[j] > theta)) {
                            break;
                        }
                        if (b == 0 && cv[j] == 0) {
                            // every row is covered: the plain loop keeps picking the first row
                            int z = lowestZeroRow();
                            while (picked < m) {
                                allPicks[1 + picked++] = z;
                                b++;
                                report(l, picked, m);
                            }
                            break;
                        }
                        int p = cand[j];
                        allPicks[1 + picked++] = p;
                        b++;
                        report(l, picked, m);
                        cv[j] = 0;
                        if (picked == m) {
                            break;
                        }
                        updateCandidates(cand, cv, gram, j);
                    }
                    roundOff[r + 1] = roundOff[r] + b;
                    if (picked < m) {
                        storePicks(r);
                    }
                    for (int j = 0; j < t; j++) {
                        minD[cand[j]] = cv[j];
                        rho[cand[j]] = r;
                    }
                    for (int i = roundOff[r]; i < roundOff[r + 1]; i++) {
                        minD[allPicks[i]] = 0;
                        rho[allPicks[i]] = DONE;
                    }
                    roundNanos += System.nanoTime() - q1;
                }
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug(String.format(Locale.ROOT, "coreset: %d rounds, %d row-pick pairs screened (%.3f of n*m), "
                        + "%d exact distances, refresh %.1fs (engine %.1fs over workers), rounds %.1fs", rounds,
                        pairsScreened.sum(), pairsScreened.sum() / ((double) n * m), evaluations.sum(),
                        refreshNanos / 1e9, engineNanos.sum() / 1e9, roundNanos / 1e9));
            }
            return Arrays.copyOfRange(allPicks, 1, m + 1);
        }

        private int lowestZeroRow() {
            for (int p = 0; p < n; p++) {
                if (minD[p] == 0) {
                    return p;
                }
            }
            return 0;
        }

        /**
         * Refreshes rows, largest bounds first, until the t largest exact values are known to
         * dominate; fills {@code cand} with them and returns theta, an upper bound of every other
         * row's true distance, or NaN when a tie straddles the candidate boundary.
         */
        private double prepare(NDManager mgr, int[] cand, int upto) {
            MinHeap heap = new MinHeap(t + 1);
            for (int p = 0; p < n; p++) {
                if (rho[p] != DONE && rho[p] >= upto) {
                    heap.offer(minD[p], p);
                }
            }
            // tiers of bounds, highest first; within a tier rows go by decreasing bound (float keys)
            double[] tiers = {0.98, 0.9, 0.75, 0.5, -1};
            double hi = Double.POSITIVE_INFINITY;
            long[] keys = new long[n];
            int[] batch = new int[ROW_BLOCK];
            for (double f : tiers) {
                double lo = f < 0 ? Double.NEGATIVE_INFINITY : f * lastTheta;
                int cnt = 0;
                for (int p = 0; p < n; p++) {
                    int rp = rho[p];
                    if (rp != DONE && rp < upto) {
                        double v = minD[p];
                        if (v >= lo && v < hi) {
                            keys[cnt++] = ((long) Float.floatToRawIntBits((float) v) << 32) | p;
                        }
                    }
                }
                Arrays.sort(keys, 0, cnt);
                int next = cnt - 1;
                while (true) {
                    // the largest bound left: the next key (rounded up), or the tier's ceiling when it is empty
                    double upper = next >= 0 ? Float.intBitsToFloat((int) (keys[next] >>> 32)) * (1 + 1e-6)
                            : lo;
                    if (heap.size() == t + 1 && heap.minValue() > upper) {
                        return finish(heap, cand, upper);
                    }
                    if (next < 0) {
                        break;
                    }
                    int bc = 0;
                    while (bc < batch.length && next >= 0) {
                        batch[bc++] = (int) keys[next--];
                    }
                    refresh(mgr, batch, bc, upto);
                    for (int i = 0; i < bc; i++) {
                        heap.offer(minD[batch[i]], batch[i]);
                    }
                }
                hi = lo;
            }
            // every row is exact now
            return heap.size() == t + 1 ? finish(heap, cand, Double.NEGATIVE_INFINITY) : Double.NaN;
        }

        private double finish(MinHeap heap, int[] cand, double upper) {
            double kth = heap.minValue();
            heap.poll();
            int c = 0;
            double best = Double.NEGATIVE_INFINITY;
            while (heap.size() > 0) {
                cand[c++] = heap.minRow();
                best = Math.max(best, heap.minValue());
                heap.poll();
            }
            double theta = Math.max(kth, upper);
            return best > theta ? theta : Double.NaN;
        }

        private void refreshAll(NDManager mgr, int upto) {
            int[] rows = new int[n];
            int c = 0;
            for (int p = 0; p < n; p++) {
                if (rho[p] != DONE && rho[p] < upto) {
                    rows[c++] = p;
                }
            }
            refresh(mgr, rows, c, upto);
        }

        /** With every row exact: the t largest (ties: lower row), and the largest distance of the rest. */
        private double exactCandidates(int[] cand) {
            double[] v = minD.clone();
            double kth = selectKthLargest(v, t);
            boolean[] isCand = new boolean[n];
            int c = 0;
            for (int p = 0; p < n && c < t; p++) {
                if (minD[p] > kth) {
                    cand[c++] = p;
                    isCand[p] = true;
                }
            }
            for (int p = 0; p < n && c < t; p++) {
                if (minD[p] == kth) {
                    cand[c++] = p;
                    isCand[p] = true;
                }
            }
            double theta = Double.NEGATIVE_INFINITY;
            for (int p = 0; p < n; p++) {
                if (!isCand[p] && minD[p] > theta) {
                    theta = minD[p];
                }
            }
            return theta;
        }

        /** The Gram matrix of the candidates, row-major t x t, from engine matrix products on the workers. */
        private float[] gram(NDManager mgr, int[] cand) {
            float[] out = new float[t * t];
            int parts = Math.min(workers.size(), Math.max(1, t / 256));
            ByteBuffer buf = buffers.acquire(4L * t * d);
            try (NDManager m = mgr.newSubManager()) {
                NDArray all = BufferPool.gather(m, buf, x, cand, d);
                NDArray allT = all.transpose();
                List<Runnable> tasks = new ArrayList<>();
                for (int k = 0; k < parts; k++) {
                    int r0 = (int) ((long) t * k / parts);
                    int r1 = (int) ((long) t * (k + 1) / parts);
                    tasks.add(() -> {
                        try (NDManager pm = m.newSubManager()) {
                            NDArray part = all.get(new NDIndex("{}:{}", r0, r1));
                            part.attach(pm);
                            NDArray g = part.matMul(allT);
                            g.attach(pm);
                            g.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer()
                                    .get(out, r0 * t, (r1 - r0) * t);
                        }
                    });
                }
                workers.runAll(tasks);
            } finally {
                buffers.release(buf);
            }
            return out;
        }

        /** First candidate of largest value, ties to the lowest row. */
        private static int argmax(double[] cv, int[] cand) {
            int best = 0;
            for (int j = 1; j < cv.length; j++) {
                if (cv[j] > cv[best] || (cv[j] == cv[best] && cand[j] < cand[best])) {
                    best = j;
                }
            }
            return best;
        }

        /** Lowers the candidates' distances with candidate jc, screened by the Gram matrix. */
        private void updateCandidates(int[] cand, double[] cv, float[] gram, int jc) {
            int c = cand[jc];
            double sc = sq[c];
            int go = jc * t;
            long ev = 0;
            for (int i = 0; i < t; i++) {
                double cur = cv[i];
                if (cur == 0) {
                    continue;
                }
                int p = cand[i];
                double approx = sq[p] + sc - 2.0 * gram[go + i];
                double lb = approx - gamma * (sq[p] + sc);
                if (lb >= cur * cur * (1 + SLACK)) {
                    continue;
                }
                double v = Math.sqrt(dist2(x, p * d, c * d, d));
                ev++;
                if (v < cur) {
                    cv[i] = v;
                }
            }
            evaluations.add(ev);
        }

        /**
         * Makes rows[0..count) exact for the picks of rounds {@code <= upto}: each row is compared with
         * the picks of the rounds after its own {@code rho}, by engine products screened in double.
         */
        private void refresh(NDManager mgr, int[] rows, int count, int upto) {
            long[] byRho = new long[count];
            for (int i = 0; i < count; i++) {
                byRho[i] = ((long) (rho[rows[i]] + 1) << 32) | rows[i];
            }
            Arrays.sort(byRho);
            List<Runnable> tasks = new ArrayList<>();
            int i = 0;
            while (i < count) {
                int from = (int) (byRho[i] >>> 32);
                int j = i;
                while (j < count && j - i < ROW_TASK && (int) (byRho[j] >>> 32) == from) {
                    j++;
                }
                int[] group = new int[j - i];
                for (int q = i; q < j; q++) {
                    group[q - i] = (int) byRho[q];
                }
                int p0 = roundOff[from];
                int p1 = roundOff[upto + 1];
                tasks.add(() -> refreshGroup(mgr, group, p0, p1));
                i = j;
            }
            workers.runAll(tasks);
            for (int q = 0; q < count; q++) {
                rho[rows[q]] = upto;
            }
        }

        /** Rows of one group against allPicks[p0, p1); runs on a worker. */
        private void refreshGroup(NDManager mgr, int[] group, int p0, int p1) {
            int g = group.length;
            if (p1 <= p0) {
                return;
            }
            long e0 = System.nanoTime();
            pairsScreened.add((long) g * (p1 - p0));
            float[] b1v = new float[g];
            float[] b2v = new float[g];
            int[] b1i = new int[g];
            Arrays.fill(b1v, Float.POSITIVE_INFINITY);
            Arrays.fill(b2v, Float.POSITIVE_INFINITY);
            double maxSqc = 0;
            for (int q = p0; q < p1; q++) {
                maxSqc = Math.max(maxSqc, sq[allPicks[q]]);
            }
            float[] line = new float[g];
            ByteBuffer buf = buffers.acquire(4L * g * d);
            try (NDManager m = mgr.newSubManager()) {
                NDArray rowsT = BufferPool.gather(m, buf, x, group, d).transpose();
                for (int q0 = p0; q0 < p1; q0 += PICK_BLOCK) {
                    int q1 = Math.min(p1, q0 + PICK_BLOCK);
                    int s = q1 - q0;
                    try (NDManager bm = m.newSubManager()) {
                        NDArray c = pickTensor.get(new NDIndex("{}:{}", q0, q1));
                        c.attach(bm);
                        NDArray sc = c.matMul(rowsT);
                        sc.attach(bm);
                        // a view of the engine's memory (no copy): read it before the product is closed
                        java.nio.FloatBuffer prod = sc.toByteBuffer(true).order(ByteOrder.nativeOrder())
                                .asFloatBuffer();
                        // scores |c|^2 - 2 c.x, pick-major: keep the two smallest per row. One pick's
                        // row of products at a time is copied in bulk into an L1-sized array: per-element
                        // reads of the direct buffer cost more than the product itself.
                        for (int j = 0; j < s; j++) {
                            float sv = (float) sq[allPicks[q0 + j]];
                            prod.get(j * g, line, 0, g);
                            for (int r = 0; r < g; r++) {
                                float v = sv - 2f * line[r];
                                if (v < b2v[r]) {
                                    if (v < b1v[r]) {
                                        b2v[r] = b1v[r];
                                        b1v[r] = v;
                                        b1i[r] = q0 + j;
                                    } else {
                                        b2v[r] = v;
                                    }
                                }
                            }
                        }
                    }
                }
            } finally {
                buffers.release(buf);
            }
            engineNanos.add(System.nanoTime() - e0);
            boolean single = p1 - p0 == 1;
            long ev = 0;
            for (int r = 0; r < g; r++) {
                int p = group[r];
                double cur = minD[p];
                double err = gamma * (sq[p] + maxSqc);
                double lb1 = b1v[r] + sq[p] - err;
                if (lb1 >= cur * cur * (1 + SLACK)) {
                    continue;
                }
                double v = Math.min(cur, Math.sqrt(dist2(x, p * d, pickRows, b1i[r] * d, d)));
                ev++;
                if (!single) {
                    double lb2 = b2v[r] + sq[p] - err;
                    if (!(lb2 >= v * v * (1 + SLACK))) {
                        // another pick may be as near: decide over all of them, exactly
                        for (int q = p0; q < p1; q++) {
                            v = Math.min(v, Math.sqrt(dist2(x, p * d, pickRows, q * d, d)));
                        }
                        ev += p1 - p0;
                    }
                }
                minD[p] = v;
            }
            evaluations.add(ev);
        }

        /** Copies round r's picks into the engine tensor of all picks. */
        private void storePicks(int r) {
            int a = roundOff[r];
            int b = roundOff[r + 1];
            if (b <= a) {
                return;
            }
            for (int q = a; q < b; q++) {
                System.arraycopy(x, allPicks[q] * d, pickRows, q * d, d);
            }
            ByteBuffer buf = buffers.acquire(4L * (b - a) * d);
            try (NDManager m = pickTensor.getManager().newSubManager()) {
                pickTensor.set(new NDIndex("{}:{}", a, b),
                        BufferPool.gather(m, buf, x, Arrays.copyOfRange(allPicks, a, b), d));
            } finally {
                buffers.release(buf);
            }
        }

        /** The k-th largest value of v (1 <= k <= v.length), by quickselect; v is reordered. */
        static double selectKthLargest(double[] v, int k) {
            int lo = 0;
            int hi = v.length - 1;
            int target = k - 1;
            SplittableRandom r = new SplittableRandom(k);
            while (lo < hi) {
                double pivot = v[lo + r.nextInt(hi - lo + 1)];
                int i = lo;
                int j = hi;
                while (i <= j) {
                    while (v[i] > pivot) {
                        i++;
                    }
                    while (v[j] < pivot) {
                        j--;
                    }
                    if (i <= j) {
                        double tmp = v[i];
                        v[i] = v[j];
                        v[j] = tmp;
                        i++;
                        j--;
                    }
                }
                if (target <= j) {
                    hi = j;
                } else if (target >= i) {
                    lo = i;
                } else {
                    return v[target];
                }
            }
            return v[target];
        }

        /** A bounded min-heap of (value, row), smallest value (then highest row) on top. */
        static final class MinHeap {
            private final double[] v;
            private final int[] r;
            private final int cap;
            private int size;

            MinHeap(int cap) {
                this.cap = cap;
                v = new double[cap];
                r = new int[cap];
            }

            int size() {
                return size;
            }

            double minValue() {
                return v[0];
            }

            int minRow() {
                return r[0];
            }

            private boolean less(int a, int b) {
                return v[a] < v[b] || (v[a] == v[b] && r[a] > r[b]);
            }

            /** Keeps the cap largest (value, lower row first) seen. */
            void offer(double value, int row) {
                if (size < cap) {
                    v[size] = value;
                    r[size] = row;
                    up(size++);
                } else if (value > v[0] || (value == v[0] && row < r[0])) {
                    v[0] = value;
                    r[0] = row;
                    down(0);
                }
            }

            void poll() {
                size--;
                v[0] = v[size];
                r[0] = r[size];
                down(0);
            }

            private void up(int i) {
                while (i > 0) {
                    int p = (i - 1) / 2;
                    if (!less(i, p)) {
                        return;
                    }
                    swap(i, p);
                    i = p;
                }
            }

            private void down(int i) {
                while (true) {
                    int a = 2 * i + 1;
                    int b = a + 1;
                    int s = i;
                    if (a < size && less(a, s)) {
                        s = a;
                    }
                    if (b < size && less(b, s)) {
                        s = b;
                    }
                    if (s == i) {
                        return;
                    }
                    swap(i, s);
                    i = s;
                }
            }

            private void swap(int a, int b) {
                double tv = v[a];
                v[a] = v[b];
                v[b] = tv;
                int tr = r[a];
                r[a] = r[b];
                r[b] = tr;
            }
        }

    }

    /**
     * Direct buffers reused for uploads to the engine. {@code NDManager.create(float[])} copies into a
     * fresh direct buffer that only the garbage collector frees, so frequent uploads let native
     * memory pile up (RSS in gigabytes); uploads here wrap a pooled buffer instead (no copy on the
     * engine side), and the buffer goes back to the pool once the array is closed.
     */
    static final class BufferPool {
        private final java.util.concurrent.ConcurrentLinkedQueue<ByteBuffer> free =
                new java.util.concurrent.ConcurrentLinkedQueue<>();

        /** A direct buffer of at least {@code bytes}; return it with {@link #release} after use. */
        ByteBuffer acquire(long bytes) {
            ByteBuffer b = free.poll();
            if (b == null || b.capacity() < bytes) {
                b = ByteBuffer.allocateDirect((int) Math.max(bytes, 1 << 16)).order(ByteOrder.nativeOrder());
            }
            return b;
        }

        void release(ByteBuffer b) {
            free.offer(b);
        }

        /** A float32 array over {@code buf} holding {@code len} values of {@code src} from {@code off}. */
        static NDArray upload(NDManager m, ByteBuffer buf, float[] src, int off, int len, Shape shape) {
            ByteBuffer s = buf.duplicate().order(ByteOrder.nativeOrder());
            s.clear();
            s.limit(len * 4);
            s.asFloatBuffer().put(src, off, len);
            return m.create(s.slice().order(ByteOrder.nativeOrder()), shape, DataType.FLOAT32);
        }

        /** A float32 {@code [rows.length, d]} array over {@code buf} gathering the given rows of {@code x}. */
        static NDArray gather(NDManager m, ByteBuffer buf, float[] x, int[] rows, int d) {
            ByteBuffer s = buf.duplicate().order(ByteOrder.nativeOrder());
            s.clear();
            s.limit(rows.length * d * 4);
            java.nio.FloatBuffer f = s.asFloatBuffer();
            for (int r : rows) {
                f.put(x, r * d, d);
            }
            return m.create(s.slice().order(ByteOrder.nativeOrder()), new Shape(rows.length, d), DataType.FLOAT32);
        }
    }

    /**
     * Worker threads for engine work, each running the engine with one intra-op thread: on a small,
     * shared machine, two independent single-threaded products beat one two-threaded product whose
     * OpenMP hand-offs stall whenever a core is busy elsewhere. The engine's thread count of the
     * calling thread is restored on close.
     */
    static final class Workers implements AutoCloseable {
        private final ExecutorService pool;
        private final int size;
        private final int previous;

        Workers(int size) {
            this.size = size;
            this.previous = engineThreads();
            this.pool = Executors.newFixedThreadPool(size, r -> {
                Thread th = new Thread(() -> {
                    setEngineThreads(1);
                    r.run();
                }, "anomaly4j-coreset");
                th.setDaemon(true);
                return th;
            });
        }

        int size() {
            return size;
        }

        /** Runs the tasks on the workers and waits for all of them. */
        void runAll(List<Runnable> tasks) {
            List<Future<?>> fs = new ArrayList<>(tasks.size());
            for (Runnable task : tasks) {
                fs.add(pool.submit(task));
            }
            join(fs.toArray(new Future<?>[0]));
        }

        @Override
        public void close() {
            pool.shutdownNow();
            if (previous > 0) {
                setEngineThreads(previous);
            }
        }

        private static int engineThreads() {
            try {
                return ai.djl.pytorch.jni.JniUtils.getNumThreads();
            } catch (RuntimeException | LinkageError e) {
                return -1;
            }
        }

        private static void setEngineThreads(int n) {
            try {
                ai.djl.pytorch.jni.JniUtils.setNumThreads(n);
            } catch (RuntimeException | LinkageError e) {
                // not the PyTorch engine: keep its own threading
            }
        }
    }

    // ------------------------------------------------------------------------------------ builder

    /** Builds a {@link Coreset}. */
    public static final class Builder {
        private double ratio = Double.NaN;
        private long seed = 0;
        private Projection projection = Projection.auto();
        private Method method = Method.FAST;
        private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private int startIndex = -1;
        private int candidates = 2048;

        private Builder() {
        }

        /** Required: the fraction of rows to keep, in (0, 1]. */
        public Builder setRatio(double ratio) {
            checkRatio(ratio);
            this.ratio = ratio;
            return this;
        }

        /** The seed of the start index and of the projection (default 0). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The projection (default {@link Projection#auto()}). */
        public Builder optProjection(Projection projection) {
            if (projection == null) {
                throw new InvalidConfigException("projection", "must not be null");
            }
            this.projection = projection;
            return this;
        }

        /** The algorithm (default {@link Method#FAST}; both give the same picks). */
        public Builder optMethod(Method method) {
            if (method == null) {
                throw new InvalidConfigException("method", "must not be null");
            }
            this.method = method;
            return this;
        }

        /** Worker threads (default: the available processors); FAST runs one engine thread on each. */
        public Builder optThreads(int threads) {
            if (threads < 1) {
                throw new InvalidConfigException("threads", "must be >= 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * A fixed start row instead of one drawn from the seed (for reproducing another
         * implementation's run, e.g. {@code numpy.random.default_rng(0).integers(n)}); -1 = from the seed.
         */
        public Builder optStartIndex(int startIndex) {
            if (startIndex < -1) {
                throw new InvalidConfigException("start_index", "must be >= 0, or -1 for one drawn from the seed, got "
                        + startIndex);
            }
            this.startIndex = startIndex;
            return this;
        }

        /**
         * Candidates per round for {@link Method#FAST} (default 2048): a speed knob only. More
         * candidates mean more picks per round (fewer passes over the bank) and a larger Gram matrix.
         */
        public Builder optCandidates(int candidates) {
            if (candidates < 2) {
                throw new InvalidConfigException("candidates", "must be >= 2, got " + candidates);
            }
            this.candidates = candidates;
            return this;
        }

        public Coreset build() {
            if (Double.isNaN(ratio)) {
                throw new InvalidConfigException("ratio", "the coreset ratio is required (setRatio)");
            }
            return new Coreset(this);
        }
    }

    // ------------------------------------------------------------------------------------ projection

    /**
     * The sparse random projection PatchCore applies before the greedy (Johnson–Lindenstrauss;
     * anomalib's {@code SparseRandomProjection(eps=0.9)}): each output component takes each input
     * column with probability {@code 1/sqrt(d)} and a random sign, scaled by
     * {@code sqrt(sqrt(d)) / sqrt(k)}.
     *
     * <p>{@link #auto()} targets the Johnson–Lindenstrauss dimension {@code floor(4 ln n / (eps^2/2 -
     * eps^3/3))} and projects only when that is <em>below</em> the bank's dimension. (anomalib
     * projects in every case, up to 328 dimensions for 600k rows of 128, which only adds distortion
     * and time; the Python reference does not project at all for its &lt;= 152-dimensional features.)
     */
    public static final class Projection {
        private static final Projection NONE = new Projection(0, 0.9);
        private final int dims; // 0 none, -1 auto, > 0 fixed
        private final double eps;

        private Projection(int dims, double eps) {
            this.dims = dims;
            this.eps = eps;
        }

        /** No projection: distances in the bank's own space. */
        public static Projection none() {
            return NONE;
        }

        /** Johnson–Lindenstrauss dimension for eps = 0.9, applied when it reduces the dimension. */
        public static Projection auto() {
            return auto(0.9);
        }

        /** Johnson–Lindenstrauss dimension for {@code eps} in (0, 1), applied when it reduces the dimension. */
        public static Projection auto(double eps) {
            if (!(eps > 0 && eps < 1)) {
                throw new InvalidConfigException("eps", "must be in (0, 1), got " + eps);
            }
            return new Projection(-1, eps);
        }

        /** A fixed target dimension (applied when it is below the bank's dimension). */
        public static Projection dims(int k) {
            if (k < 1) {
                throw new InvalidConfigException("projection", "target dimension must be >= 1, got " + k);
            }
            return new Projection(k, 0.9);
        }

        /** {@code none}, {@code auto}, {@code auto:EPS} or a target dimension. */
        public static Projection parse(String s) {
            String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
            if (v.equals("none") || v.equals("off")) {
                return none();
            }
            if (v.equals("auto")) {
                return auto();
            }
            try {
                if (v.startsWith("auto:")) {
                    return auto(Double.parseDouble(v.substring(5)));
                }
                return dims(Integer.parseInt(v));
            } catch (NumberFormatException e) {
                throw new InvalidConfigException("projection", "expected none, auto, auto:EPS or a dimension, got '"
                        + s + "'");
            }
        }

        /** {@code floor(4 ln n / (eps^2 / 2 - eps^3 / 3))}, as scikit-learn and anomalib compute it. */
        public static int johnsonLindenstraussMinDim(long n, double eps) {
            double den = eps * eps / 2 - eps * eps * eps / 3;
            return (int) Math.floor(4 * Math.log(n) / den);
        }

        /** The dimension projected to for an {@code n x d} bank, or 0 when no projection applies. */
        public int targetDim(int n, int d) {
            int k = dims == -1 ? johnsonLindenstraussMinDim(n, eps) : dims;
            return k > 0 && k < d ? k : 0;
        }

        /** Projects the rows of {@code bank} to {@code k} dimensions (row-major result). */
        float[] project(float[] bank, int n, int d, int k, long seed) {
            SplittableRandom rnd = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
            double density = 1 / Math.sqrt(d);
            double scale = Math.sqrt(1 / density) / Math.sqrt(k);
            int[][] cols = new int[k][];
            float[][] wts = new float[k][];
            for (int j = 0; j < k; j++) {
                int[] cs = new int[d];
                float[] ws = new float[d];
                int nnz = 0;
                for (int i = 0; i < d; i++) {
                    if (rnd.nextDouble() < density) {
                        cs[nnz] = i;
                        ws[nnz] = (float) (rnd.nextBoolean() ? scale : -scale);
                        nnz++;
                    }
                }
                cols[j] = Arrays.copyOf(cs, nnz);
                wts[j] = Arrays.copyOf(ws, nnz);
            }
            float[] out = new float[n * k];
            java.util.stream.IntStream.range(0, (n + 1023) / 1024).parallel().forEach(b -> {
                int e = Math.min(n, (b + 1) * 1024);
                for (int r = b * 1024; r < e; r++) {
                    int o = r * d;
                    for (int j = 0; j < k; j++) {
                        int[] cs = cols[j];
                        float[] ws = wts[j];
                        double s = 0;
                        for (int q = 0; q < cs.length; q++) {
                            s += ws[q] * bank[o + cs[q]];
                        }
                        out[r * k + j] = (float) s;
                    }
                }
            });
            return out;
        }

        @Override
        public String toString() {
            return dims == 0 ? "none" : dims == -1 ? "auto(eps=" + eps + ")" : Integer.toString(dims);
        }
    }
}
