package org.anomaly4j.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.anomaly4j.api.InvalidConfigException;

/**
 * Exact k-nearest-neighbour search (Euclidean, or squared Euclidean) of query vectors in a memory
 * bank, in bounded memory.
 *
 * <h2>How</h2>
 * The bank is processed in chunks of rows (each uploaded to the engine once per search) and the
 * queries in blocks. For each (query block, chunk) pair the engine computes {@code q . b} with one
 * float32 matrix multiplication; the {@code k + 8} smallest {@code ||b||^2 - 2 q.b} per query are
 * kept, recomputed exactly in double from the float values, and merged into a running top-k per
 * query. Float32 rounding cannot hide a true neighbour: a chunk is accepted for a query only when
 * the candidates' float scores leave a gap larger than a rigorous bound on the float32 error
 * ({@code (2 d + 8) u (||q||^2 + max ||b||^2)}, {@code u = 2^-24}); otherwise that query is searched
 * exactly in Java against that chunk (rare). The result is therefore the exact top-k of the
 * double-precision distances, ties broken by the lower bank row. Query blocks run on worker threads
 * with one engine thread each (see {@link Coreset} for why that beats the engine's own threads on a
 * small shared machine).
 *
 * <h2>Memory</h2>
 * The bank is a caller-owned row-major {@code float[]} (not copied: {@code 4 n d} bytes, e.g.
 * 1.5 GB for 1,000,000 x 384 on the heap; do not modify it while searching) plus {@code 8 n}
 * bytes of squared norms. A search holds one bank chunk natively (default 32 MiB, in a direct
 * buffer pooled between searches: a bank of one chunk is copied once, not once per search) and, per worker, one score block of at most 32 MiB natively,
 * read in place, so the working set stays near {@code 32 + 2 x 32} MiB whatever the bank size.
 *
 * <h2>Threads</h2>
 * Instances are immutable after construction and safe for concurrent searches: every call works in
 * its own {@link NDManager}, workers and buffers.
 *
 * <pre>{@code
 * NearestNeighbors nn = NearestNeighbors.builder(bank, rows, dim).build();
 * NearestNeighbors.Result r = nn.search(queries, numQueries, 1);
 * float d = r.distance(q, 0); int row = r.index(q, 0);
 * }</pre>
 */
public final class NearestNeighbors {
    /** Float32 unit roundoff. */
    private static final double U = 0x1p-24;

    private final float[] bank;
    private final int rows;
    private final int dim;
    private final double[] norms;
    private final int chunkRows;
    private final int queryBlockRows;
    private final Device device;
    private final int workers;
    private final ConcurrentLinkedQueue<ChunkBuffer> chunkBuffers = new ConcurrentLinkedQueue<>();
    private final Coreset.BufferPool queryBuffers = new Coreset.BufferPool();

    private NearestNeighbors(Builder b) {
        this.bank = b.bank;
        this.rows = b.rows;
        this.dim = b.dim;
        this.device = b.device;
        this.workers = b.workers;
        long bytesPerRow = 4L * dim;
        this.chunkRows = (int) Math.max(1, Math.min(rows, b.chunkBytes / bytesPerRow));
        // the score matrix: queryBlockRows x chunkRows floats within the score budget
        this.queryBlockRows = (int) Math.max(1, Math.min(4096, b.scoreBytes / (4L * chunkRows)));
        this.norms = new double[rows];
        for (int r = 0; r < rows; r++) {
            int o = r * dim;
            double s = 0;
            for (int i = 0; i < dim; i++) {
                double v = bank[o + i];
                s += v * v;
            }
            norms[r] = s;
        }
    }

    /** A builder over the row-major {@code rows x dim} bank (not copied). */
    public static Builder builder(float[] bank, int rows, int dim) {
        return new Builder(bank, rows, dim);
    }

    /** Number of bank rows. */
    public int rows() {
        return rows;
    }

    /** Vector dimension. */
    public int dim() {
        return dim;
    }

    /** Bank rows per chunk. */
    public int chunkRows() {
        return chunkRows;
    }

    /** Query rows per block. */
    public int queryBlockRows() {
        return queryBlockRows;
    }

    /** The k nearest bank rows of each query, by Euclidean distance. */
    public Result search(float[] queries, int numQueries, int k) {
        return search(null, queries, numQueries, k, false);
    }

    /** The k nearest bank rows of each query, with squared Euclidean distances. */
    public Result searchSquared(float[] queries, int numQueries, int k) {
        return search(null, queries, numQueries, k, true);
    }

    /**
     * The k nearest bank rows of each query, working in a sub-manager of {@code manager} that is
     * closed before returning (nothing stays attached to {@code manager}).
     *
     * @param manager a manager to work under, or {@code null} for a private one on the builder's device
     * @param squared whether to return squared distances
     */
    public Result search(NDManager manager, float[] queries, int numQueries, int k, boolean squared) {
        checkQueries(queries, numQueries, k);
        int nq = numQueries;
        double[] best = new double[nq * k];
        int[] bestIdx = new int[nq * k];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        Arrays.fill(bestIdx, -1);
        double[] qNorms = new double[nq];
        for (int q = 0; q < nq; q++) {
            int o = q * dim;
            double s = 0;
            for (int i = 0; i < dim; i++) {
                double v = queries[o + i];
                s += v * v;
            }
            qNorms[q] = s;
        }
        int kk = k + 8;
        double gamma = 2 * dim * U + 8 * U;
        int nw = Math.max(1, Math.min(workers, (nq + 63) / 64));
        int qb = Math.max(1, Math.min(queryBlockRows, (nq + nw - 1) / nw));
        ChunkBuffer chunkBuf = acquire();
        try (NDManager root = manager == null ? NDManager.newBaseManager(device, "PyTorch")
                : manager.newSubManager();
                Coreset.Workers pool = new Coreset.Workers(nw)) {
            // each bank chunk is uploaded once; the query blocks are searched against it in parallel
            for (int b0 = 0; b0 < rows; b0 += chunkRows) {
                int b1 = Math.min(rows, b0 + chunkRows);
                try (NDManager cm = root.newSubManager()) {
                    Chunk chunk = uploadChunk(cm, chunkBuf, b0, b1);
                    List<Runnable> tasks = new ArrayList<>();
                    for (int q0 = 0; q0 < nq; q0 += qb) {
                        int from = q0;
                        int to = Math.min(nq, q0 + qb);
                        tasks.add(() -> searchBlock(cm, chunk, from, to, kk, k, gamma, queries, qNorms, best, bestIdx));
                    }
                    pool.runAll(tasks);
                }
            }
        } finally {
            release(chunkBuf);
        }
        float[] dist = new float[nq * k];
        for (int i = 0; i < dist.length; i++) {
            double v = Math.max(0, best[i]);
            dist[i] = (float) (squared ? v : Math.sqrt(v));
        }
        return new Result(nq, k, dist, bestIdx, squared);
    }

    /** A bank chunk on the engine: rows [b0, b1) transposed to {@code [dim, rows]}, and their squared norms. */
    private record Chunk(int b0, int b1, NDArray transposed, float[] norms, double maxNorm) {
    }

    private Chunk uploadChunk(NDManager m, ChunkBuffer buf, int b0, int b1) {
        int cb = b1 - b0;
        ByteBuffer slice = buf.data.duplicate().order(ByteOrder.nativeOrder());
        slice.clear();
        slice.limit(cb * dim * 4);
        if (buf.heldFrom != b0) {
            // the bank never changes, so a buffer that still holds this chunk is reused as it is
            buf.heldFrom = -1;
            slice.asFloatBuffer().put(bank, b0 * dim, cb * dim);
            buf.heldFrom = b0;
        }
        NDArray t = m.create(slice.slice().order(ByteOrder.nativeOrder()), new Shape(cb, dim), DataType.FLOAT32)
                .transpose();
        double maxNorm = 0;
        float[] bn = new float[cb];
        for (int r = b0; r < b1; r++) {
            maxNorm = Math.max(maxNorm, norms[r]);
            bn[r - b0] = (float) norms[r];
        }
        return new Chunk(b0, b1, t, bn, maxNorm);
    }

    /** Query rows [q0, q1) against one chunk; runs on a worker and owns those queries' results. */
    private void searchBlock(NDManager parent, Chunk c, int q0, int q1, int kk, int k, double gamma,
            float[] queries, double[] qNorms, double[] best, int[] bestIdx) {
        int b0 = c.b0();
        int cb = c.b1() - b0;
        int kc = Math.min(kk, cb);
        float[] bn = c.norms();
        ByteBuffer qbuf = queryBuffers.acquire(4L * (q1 - q0) * dim);
        try (NDManager m = parent.newSubManager()) {
            NDArray qa = Coreset.BufferPool.upload(m, qbuf, queries, q0 * dim, (q1 - q0) * dim, new Shape(q1 - q0, dim));
            NDArray s = qa.matMul(c.transposed());
            s.attach(m);
            // a view of the engine's memory (no copy): read it before the product is closed
            ByteBuffer prod = s.toByteBuffer(true).order(ByteOrder.nativeOrder());
            scanBlock(prod, c, q0, q1, kk, k, gamma, queries, qNorms, best, bestIdx);
        } finally {
            queryBuffers.release(qbuf);
        }
    }

    private void scanBlock(ByteBuffer prod, Chunk c, int q0, int q1, int kk, int k, double gamma, float[] queries,
            double[] qNorms, double[] best, int[] bestIdx) {
        int b0 = c.b0();
        int cb = c.b1() - b0;
        int kc = Math.min(kk, cb);
        float[] bn = c.norms();
        float[] candV = new float[kc];
        int[] candI = new int[kc];
        for (int qi = 0; qi < q1 - q0; qi++) {
            int q = q0 + qi;
            int qo = q * dim;
            // the kc smallest scores |b|^2 - 2 q.b of this row, by insertion
            int filled = 0;
            float worst = Float.POSITIVE_INFINITY;
            int o = qi * cb * 4;
            for (int j = 0; j < cb; j++) {
                float v = bn[j] - 2f * prod.getFloat(o + 4 * j);
                if (filled < kc || v < worst) {
                    int p = filled < kc ? filled++ : kc - 1;
                    while (p > 0 && candV[p - 1] > v) {
                        candV[p] = candV[p - 1];
                        candI[p] = candI[p - 1];
                        p--;
                    }
                    candV[p] = v;
                    candI[p] = j;
                    worst = candV[filled - 1];
                }
            }
            for (int j = 0; j < filled; j++) {
                int r = b0 + candI[j];
                insert(best, bestIdx, q * k, k, exact(queries, qo, r), r);
            }
            if (kc == cb) {
                continue; // every row of the chunk was a candidate
            }
            double err = gamma * (qNorms[q] + c.maxNorm());
            double bound = worst + qNorms[q] - err; // every non-candidate's exact d^2 is at least this
            double kth = best[q * k + k - 1];
            if (!(kth < bound)) {
                // the float gap does not prove the top-k: search this chunk exactly for this query
                for (int r = b0; r < b0 + cb; r++) {
                    insert(best, bestIdx, q * k, k, exact(queries, qo, r), r);
                }
            }
        }
    }

    /** Squared distance in double, query {@code qo} against bank row {@code r}. */
    private double exact(float[] queries, int qo, int r) {
        int bo = r * dim;
        double s0 = 0;
        double s1 = 0;
        int i = 0;
        for (; i + 1 < dim; i += 2) {
            double a0 = (double) queries[qo + i] - bank[bo + i];
            double a1 = (double) queries[qo + i + 1] - bank[bo + i + 1];
            s0 += a0 * a0;
            s1 += a1 * a1;
        }
        for (; i < dim; i++) {
            double a = (double) queries[qo + i] - bank[bo + i];
            s0 += a * a;
        }
        return s0 + s1;
    }

    /** Inserts (v, r) into the sorted top-k at {@code off} unless present or not better; ties: lower row first. */
    private static void insert(double[] best, int[] idx, int off, int k, double v, int r) {
        int last = off + k - 1;
        if (v > best[last] || (v == best[last] && idx[last] >= 0 && r >= idx[last])) {
            return;
        }
        for (int j = off; j <= last; j++) {
            if (idx[j] == r) {
                return; // already there (from an exact rescan of a chunk)
            }
        }
        int p = last;
        while (p > off && (v < best[p - 1] || (v == best[p - 1] && r < idx[p - 1]))) {
            best[p] = best[p - 1];
            idx[p] = idx[p - 1];
            p--;
        }
        best[p] = v;
        idx[p] = r;
    }

    private void checkQueries(float[] queries, int numQueries, int k) {
        if (queries == null) {
            throw new IllegalArgumentException("queries is null");
        }
        if (numQueries < 0) {
            throw new IllegalArgumentException("numQueries must be >= 0, got " + numQueries);
        }
        if ((long) numQueries * dim != queries.length) {
            throw new IllegalArgumentException("queries has " + queries.length + " values, expected numQueries x dim = "
                    + numQueries + " x " + dim);
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        if (k > rows) {
            throw new IllegalArgumentException("k = " + k + " exceeds the bank's " + rows + " rows");
        }
        for (int i = 0; i < queries.length; i++) {
            if (!Float.isFinite(queries[i])) {
                throw new IllegalArgumentException("query value at row " + (i / dim) + ", column " + (i % dim) + " is "
                        + queries[i] + ": every value must be finite");
            }
        }
    }

    /** A pooled direct buffer for one bank chunk, and which chunk it holds (-1: none). */
    private static final class ChunkBuffer {
        final ByteBuffer data;
        int heldFrom = -1;

        ChunkBuffer(ByteBuffer data) {
            this.data = data;
        }
    }

    private ChunkBuffer acquire() {
        ChunkBuffer b = chunkBuffers.poll();
        return b != null ? b
                : new ChunkBuffer(ByteBuffer.allocateDirect(chunkRows * dim * 4).order(ByteOrder.nativeOrder()));
    }

    private void release(ChunkBuffer b) {
        chunkBuffers.offer(b);
    }

    /** The neighbours of each query: row-major {@code numQueries x k}, nearest first. */
    public static final class Result {
        private final int numQueries;
        private final int k;
        private final float[] distances;
        private final int[] indices;
        private final boolean squared;

        Result(int numQueries, int k, float[] distances, int[] indices, boolean squared) {
            this.numQueries = numQueries;
            this.k = k;
            this.distances = distances;
            this.indices = indices;
            this.squared = squared;
        }

        public int numQueries() {
            return numQueries;
        }

        public int k() {
            return k;
        }

        /** Whether {@link #distance} is squared. */
        public boolean squared() {
            return squared;
        }

        /** The j-th nearest distance of query q (j = 0 is the nearest). */
        public float distance(int q, int j) {
            return distances[q * k + j];
        }

        /** The bank row of the j-th nearest neighbour of query q. */
        public int index(int q, int j) {
            return indices[q * k + j];
        }

        /** All distances, row-major {@code numQueries x k} (a copy). */
        public float[] distances() {
            return distances.clone();
        }

        /** All bank rows, row-major {@code numQueries x k} (a copy). */
        public int[] indices() {
            return indices.clone();
        }
    }

    /** Builds a {@link NearestNeighbors}. */
    public static final class Builder {
        private final float[] bank;
        private final int rows;
        private final int dim;
        private long chunkBytes = 32L << 20;
        private long scoreBytes = 32L << 20;
        private Device device;
        private int workers = Math.max(1, Runtime.getRuntime().availableProcessors());

        private Builder(float[] bank, int rows, int dim) {
            Coreset.checkBank(bank, rows, dim);
            this.bank = bank;
            this.rows = rows;
            this.dim = dim;
        }

        /** Bytes of bank per chunk (default 32 MiB); smaller chunks mean less native memory per search. */
        public Builder optChunkBytes(long bytes) {
            if (bytes < 1) {
                throw new InvalidConfigException("chunk_bytes", "must be >= 1, got " + bytes);
            }
            this.chunkBytes = bytes;
            return this;
        }

        /** Bank rows per chunk (overrides {@link #optChunkBytes}). */
        public Builder optChunkRows(int chunkRows) {
            if (chunkRows < 1) {
                throw new InvalidConfigException("chunk_rows", "must be >= 1, got " + chunkRows);
            }
            this.chunkBytes = 4L * dim * chunkRows;
            return this;
        }

        /** Bytes of the per-block score matrix (default 32 MiB); sets the query block size. */
        public Builder optScoreBytes(long bytes) {
            if (bytes < 1) {
                throw new InvalidConfigException("score_bytes", "must be >= 1, got " + bytes);
            }
            this.scoreBytes = bytes;
            return this;
        }

        /** The engine device (default {@link Devices#current()}). */
        public Builder optDevice(Device device) {
            this.device = device;
            return this;
        }

        /** Worker threads per search (default: the available processors), each with one engine thread. */
        public Builder optThreads(int threads) {
            if (threads < 1) {
                throw new InvalidConfigException("threads", "must be >= 1, got " + threads);
            }
            this.workers = threads;
            return this;
        }

        public NearestNeighbors build() {
            if (device == null) {
                device = Devices.current();
            }
            return new NearestNeighbors(this);
        }
    }
}
