package org.anomaly4j.tensor;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.anomaly4j.io.TensorData;

/**
 * Many Gaussians at once: one {@code d}-dimensional Gaussian per spatial position, as PaDiM fits to
 * the embedding of every patch position. Fitting is incremental and bounded in memory: an
 * {@link Accumulator} takes batches {@code [n, d, P]} (or {@code [n, d, H, W]}) and keeps only sums and
 * outer products (float64, {@code P*d*d*8} bytes, on the manager's device; float32 on request); {@link Accumulator#fit}
 * turns them into means and precisions (inverse covariances, float32). Scoring gives the
 * Mahalanobis map of query embeddings in one batched product.
 *
 * <p>Sums are taken of samples shifted by the first batch's mean, so that a large common offset does
 * not cancel catastrophically; the covariance estimators and their formulas are exactly those of
 * {@link GaussianModel} (see {@link CovarianceEstimator}), per position. The precision is computed in
 * float64 by the engine's batched inverse ({@code torch.linalg.inv}, LU) of the symmetric positive
 * definite covariance and symmetrised; positions are processed in chunks of 256 to bound the extra
 * memory.
 *
 * <p>The field owns a sub-manager of the manager it was fitted or loaded in; {@link #close()} frees
 * its tensors. Scoring calls are thread-safe.
 */
public final class GaussianField implements AutoCloseable {
    private static final int CHUNK = 256;

    private final NDManager manager;
    private final int d;
    private final int positions;
    private final NDArray mean; // [P, 1, d] float32
    private final NDArray precision; // [P, d, d] float32
    private final double[] shrinkage;
    private final long samples;

    private GaussianField(NDManager parent, NDArray mean, NDArray precision, double[] shrinkage, long samples) {
        this.manager = parent.newSubManager();
        this.positions = (int) precision.getShape().get(0);
        this.d = (int) precision.getShape().get(1);
        this.mean = mean.reshape(positions, 1, d);
        this.mean.attach(manager);
        this.precision = precision;
        this.precision.attach(manager);
        if (mean != this.mean) {
            mean.close();
        }
        this.shrinkage = shrinkage;
        this.samples = samples;
    }

    /** A new accumulator for {@code d}-dimensional Gaussians at {@code positions} positions, in {@code manager}. */
    public static Accumulator accumulator(NDManager manager, int d, int positions) {
        return new Accumulator(manager, d, positions, DataType.FLOAT64);
    }

    /**
     * An accumulator whose sums are kept in {@code sumType} ({@code FLOAT64} or {@code FLOAT32}). Float32
     * halves the memory of the outer products ({@code P*d*d*4} bytes) and runs the per-batch products at
     * float speed; the samples are still shifted by the first batch's mean, and the estimator's
     * formulas still run in float64 from those sums. Ledoit–Wolf needs fourth moments formed by
     * cancellation: keep float64 for it. Float32 matches a float32 two-pass covariance (PaDiM's
     * reference) to about {@code 1e-6} relative.
     */
    public static Accumulator accumulator(NDManager manager, int d, int positions, DataType sumType) {
        if (sumType != DataType.FLOAT64 && sumType != DataType.FLOAT32) {
            throw new IllegalArgumentException("sums are FLOAT64 or FLOAT32, got " + sumType);
        }
        return new Accumulator(manager, d, positions, sumType);
    }

    /** Restores a field from its {@link #toData()} tensors into a sub-manager of {@code manager}. */
    public static GaussianField fromData(NDManager manager, TensorData mean, TensorData precision) {
        long[] ps = precision.shape();
        long[] ms = mean.shape();
        if (ps.length != 3 || ps[1] != ps[2] || ms.length != 2 || ms[0] != ps[0] || ms[1] != ps[1]) {
            throw new IllegalArgumentException("expected mean [P, d] and precision [P, d, d], got "
                    + mean + " and " + precision);
        }
        try (NDManager tmp = manager.newSubManager()) {
            NDArray m = Tensors.fromData(tmp, mean);
            NDArray p = Tensors.fromData(tmp, precision);
            return new GaussianField(manager, m, p, new double[(int) ps[0]], -1);
        }
    }

    /** Mean {@code [P, d]} and precision {@code [P, d, d]} as storable tensors named {@code prefix.mean}, {@code prefix.precision}. */
    public List<TensorData> toData(String prefix) {
        return List.of(new TensorData(prefix + ".mean", new long[] {positions, d}, Tensors.floats(mean)),
                Tensors.toData(prefix + ".precision", precision));
    }

    /** Dimension of each Gaussian. */
    public int dimension() {
        return d;
    }

    /** Number of positions. */
    public int positions() {
        return positions;
    }

    /** Number of samples the field was fitted on ({@code -1} when restored). */
    public long samples() {
        return samples;
    }

    /** The shrinkage used at each position (Ledoit–Wolf's estimates, the fixed value, or zeros). */
    public double[] shrinkage() {
        return shrinkage.clone();
    }

    /** The means as row-major {@code [P, d]} floats. */
    public float[] means() {
        return Tensors.floats(mean);
    }

    /** The precision of one position as row-major {@code d x d} floats. */
    public float[] precision(int position) {
        try (NDArray p = precision.get(position)) {
            return Tensors.floats(p);
        }
    }

    /**
     * Squared Mahalanobis distances of query embeddings at every position: {@code [n, d, P]} gives
     * {@code [n, P]}, {@code [n, d, H, W]} gives {@code [n, H, W]} (with {@code H*W = P}), {@code [d, P]}
     * gives {@code [P]}. Float32, on the query's device; the result belongs to the query's manager.
     */
    public NDArray squaredMahalanobis(NDArray query) {
        Shape s = query.getShape();
        int dim = s.dimension();
        boolean ok = (dim == 2 && s.get(0) == d && s.get(1) == positions)
                || (dim == 3 && s.get(1) == d && s.get(2) == positions)
                || (dim == 4 && s.get(1) == d && s.get(2) * s.get(3) == positions);
        if (!ok) {
            throw new IllegalArgumentException("query must be [n, " + d + ", " + positions + "], [n, " + d
                    + ", H, W] with H*W=" + positions + " or [" + d + ", " + positions + "], got " + s);
        }
        long n = dim == 2 ? 1 : s.get(0);
        NDManager owner = query.getManager();
        try (NDManager tmp = owner.newSubManager()) {
            query.tempAttach(tmp);
            NDArray q = query.toType(DataType.FLOAT32, false).reshape(n, d, positions).transpose(2, 0, 1); // [P,n,d]
            NDArray diff = q.sub(mean);
            NDArray d2 = diff.matMul(precision).mul(diff).sum(new int[] {2}).maximum(0f).transpose(); // [n,P]
            Shape out = dim == 2 ? new Shape(positions) : dim == 3 ? new Shape(n, positions) : new Shape(n, s.get(2), s.get(3));
            NDArray r = d2.reshape(out);
            r.attach(owner);
            return r;
        }
    }

    /** Mahalanobis distances ({@code sqrt} of {@link #squaredMahalanobis}), as PaDiM's anomaly map. */
    public NDArray mahalanobis(NDArray query) {
        NDManager owner = query.getManager();
        try (NDManager tmp = owner.newSubManager()) {
            NDArray d2 = squaredMahalanobis(query);
            d2.attach(tmp);
            NDArray r = d2.sqrt();
            r.attach(owner);
            return r;
        }
    }

    @Override
    public void close() {
        manager.close();
    }

    /**
     * Sums, shifted sums and outer products of embeddings, batch by batch. Not thread-safe; close it
     * (its float64 sums are large) once {@link #fit} has made the field.
     */
    public static final class Accumulator implements AutoCloseable {
        private final NDManager parent;
        private final NDManager manager;
        private final int d;
        private final int positions;
        private NDArray shift; // [P, 1, d]
        private NDArray sum; // [P, d]      sum of y
        private NDArray sumOuter; // [P, d, d] sum of y y'
        private NDArray sumNorm2Y; // [P, d] sum of ||y||^2 y
        private NDArray sumNorm4; // [P]  sum of ||y||^4
        private long n;
        private final DataType sumType;

        private Accumulator(NDManager parent, int d, int positions, DataType sumType) {
            if (d < 1 || positions < 1) {
                throw new IllegalArgumentException("need d >= 1 and positions >= 1, got " + d + ", " + positions);
            }
            this.parent = parent;
            this.manager = parent.newSubManager();
            this.d = d;
            this.positions = positions;
            this.sumType = sumType;
        }

        /** Adds a batch of embeddings {@code [n, d, P]} or {@code [n, d, H, W]} (any float type). */
        public Accumulator add(NDArray batch) {
            Shape s = batch.getShape();
            boolean ok = (s.dimension() == 3 && s.get(1) == d && s.get(2) == positions)
                    || (s.dimension() == 4 && s.get(1) == d && s.get(2) * s.get(3) == positions);
            if (!ok) {
                throw new IllegalArgumentException("batch must be [n, " + d + ", " + positions + "] or [n, " + d
                        + ", H, W] with H*W=" + positions + ", got " + s);
            }
            long nb = s.get(0);
            if (nb == 0) {
                return this;
            }
            try (NDManager tmp = manager.newSubManager()) {
                batch.tempAttach(tmp);
                NDArray x = batch.toType(sumType, false).reshape(nb, d, positions).transpose(2, 0, 1); // [P,n,d]
                if (shift == null) {
                    shift = x.mean(new int[] {1}, true);
                    shift.attach(manager);
                    sum = manager.zeros(new Shape(positions, d), sumType);
                    sumOuter = manager.zeros(new Shape(positions, d, d), sumType);
                    sumNorm2Y = manager.zeros(new Shape(positions, d), sumType);
                    sumNorm4 = manager.zeros(new Shape(positions), sumType);
                }
                NDArray y = x.sub(shift);
                NDArray norm2 = y.square().sum(new int[] {2}, true); // [P,n,1]
                sum.addi(y.sum(new int[] {1}));
                sumOuter.addi(y.transpose(0, 2, 1).matMul(y));
                sumNorm2Y.addi(y.mul(norm2).sum(new int[] {1}));
                sumNorm4.addi(norm2.square().sum(new int[] {1, 2}));
            }
            n += nb;
            return this;
        }

        /** Samples added so far. */
        public long count() {
            return n;
        }

        /** The field of Gaussians estimated from everything added so far, in the accumulator's parent manager. */
        public GaussianField fit(CovarianceEstimator estimator) {
            if (n < 2) {
                throw new IllegalStateException("need at least 2 samples to fit a covariance, got " + n);
            }
            double[] shrink = new double[positions];
                NDArray mean32;
            try (NDManager out = manager.newSubManager()) {
                NDArray prec32 = out.zeros(new Shape(positions, d, d), DataType.FLOAT32);
                for (int from = 0; from < positions; from += CHUNK) {
                    int to = Math.min(positions, from + CHUNK);
                    try (NDManager tmp = out.newSubManager()) {
                        NDArray chunk = precisionChunk(tmp, from, to, estimator, shrink);
                        prec32.set(new NDIndex(from + ":" + to), chunk);
                    }
                }
                try (NDManager tmp = out.newSubManager()) {
                    NDArray s = sum.get(":");
                    NDArray sh = shift.squeeze(1);
                    s.attach(tmp);
                    sh.attach(tmp);
                    mean32 = s.toType(DataType.FLOAT64, false).div(n).add(sh.toType(DataType.FLOAT64, false))
                            .toType(DataType.FLOAT32, false);
                    mean32.attach(out);
                }
                return new GaussianField(parent, mean32, prec32, shrink, n);
            }
        }

        private NDArray precisionChunk(NDManager tmp, int from, int to, CovarianceEstimator est, double[] shrink) {
            int pc = to - from;
            NDIndex range = new NDIndex(from + ":" + to);
            NDArray sy = sum.get(range);
            NDArray syy = sumOuter.get(range);
            NDArray r = sumNorm2Y.get(range);
            NDArray q4 = sumNorm4.get(range);
            for (NDArray a : new NDArray[] {sy, syy, r, q4}) {
                a.attach(tmp);
            }
            if (sumType != DataType.FLOAT64) {
                sy = sy.toType(DataType.FLOAT64, false);
                syy = syy.toType(DataType.FLOAT64, false);
                r = r.toType(DataType.FLOAT64, false);
                q4 = q4.toType(DataType.FLOAT64, false);
            }
            NDArray eye = tmp.eye(d).toType(DataType.FLOAT64, false);
            NDArray m = sy.div(n); // [pc, d] mean of the shifted samples
            NDArray emp = syy.div(n).sub(m.expandDims(2).matMul(m.expandDims(1))); // biased, [pc, d, d]
            NDArray cov;
            if (est.kind() == CovarianceEstimator.Kind.RIDGE) {
                cov = emp.mul((double) n / (n - 1)).add(eye.mul(est.value()));
            } else {
                NDArray trace = emp.mul(eye).sum(new int[] {1, 2});
                double[] tr = trace.toDoubleArray();
                double[] s = new double[pc];
                if (est.kind() == CovarianceEstimator.Kind.SHRUNK) {
                    java.util.Arrays.fill(s, est.value());
                } else {
                    double[] fr = emp.square().sum(new int[] {1, 2}).toDoubleArray();
                    // sum_k ||y_k - m||^4 with a = ||y||^2, b = y.m, c = ||m||^2:
                    // sum (a - 2b + c)^2 = sum a^2 + 4 m'Syy m - 4 m.sum(a y) + 2c tr(Syy) - 3 n c^2
                    NDArray c = m.square().sum(new int[] {1});
                    NDArray mSm = m.expandDims(1).matMul(syy).matMul(m.expandDims(2)).reshape(pc);
                    NDArray mR = m.mul(r).sum(new int[] {1});
                    NDArray trS = syy.mul(eye).sum(new int[] {1, 2});
                    double[] z4 = q4.add(mSm.mul(4)).sub(mR.mul(4)).add(c.mul(trS).mul(2))
                            .sub(c.square().mul(3.0 * n)).toDoubleArray();
                    for (int i = 0; i < pc; i++) {
                        s[i] = CovarianceEstimator.ledoitWolfShrinkage(n, d, tr[i], fr[i], z4[i]);
                    }
                }
                double[] keep = new double[pc];
                double[] add = new double[pc];
                for (int i = 0; i < pc; i++) {
                    keep[i] = 1 - s[i];
                    add[i] = s[i] * tr[i] / d;
                }
                System.arraycopy(s, 0, shrink, from, pc);
                cov = emp.mul(tmp.create(keep).reshape(pc, 1, 1)).add(eye.mul(tmp.create(add).reshape(pc, 1, 1)));
            }
            NDArray inv = cov.inverse();
            return inv.add(inv.transpose(0, 2, 1)).div(2).toType(DataType.FLOAT32, false);
        }

        @Override
        public void close() {
            manager.close();
        }
    }
}
