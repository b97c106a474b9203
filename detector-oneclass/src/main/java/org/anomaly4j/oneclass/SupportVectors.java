package org.anomaly4j.oneclass;

import java.util.stream.IntStream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.anomaly4j.tensor.Tensors;

/**
 * A kernel expansion {@code f(x) = sum_i coef_i K(sv_i, x)} over support vectors, evaluated for many
 * inputs at once: the dot products by one engine matrix product per block ({@link Gemm}), the kernel
 * and the weighted sum in Java double. The value for an input does not depend on the batch it comes
 * in. Thread-safe; owns the support vectors in native memory until closed.
 */
final class SupportVectors implements AutoCloseable {
    private static final int PARALLEL_ROWS = 64;

    private final KernelFunction kernel;
    private final int m;
    private final int d;
    private final float[] sv;
    private final double[] coef;
    private final double[] svSq;
    private final NDManager root;
    private final NDArray svT; // [d, m]

    /**
     * @param sv   {@code m x d} row-major support vectors (copied)
     * @param coef their coefficients (copied)
     */
    SupportVectors(KernelFunction kernel, float[] sv, int m, int d, double[] coef) {
        if (sv.length != (long) m * d || coef.length != m) {
            throw new IllegalArgumentException("expected " + m + "x" + d + " vectors and " + m + " coefficients, got "
                    + sv.length + " values and " + coef.length);
        }
        if (m == 0) {
            throw new IllegalArgumentException("no support vectors");
        }
        this.kernel = kernel;
        this.m = m;
        this.d = d;
        this.sv = sv.clone();
        this.coef = coef.clone();
        this.svSq = KernelFunction.squaredNorms(sv, m, d);
        this.root = Tensors.newRootManager();
        try {
            float[] t = new float[m * d];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < d; j++) {
                    t[j * m + i] = sv[i * d + j];
                }
            }
            this.svT = root.create(t, new Shape(d, m));
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    KernelFunction kernel() {
        return kernel;
    }

    /** Number of support vectors. */
    int count() {
        return m;
    }

    /** Input dimension. */
    int dimension() {
        return d;
    }

    /** The support vectors, {@code m x d} row-major (a copy). */
    float[] vectors() {
        return sv.clone();
    }

    /** The coefficients (a copy). */
    double[] coefficients() {
        return coef.clone();
    }

    /** {@code f(x_r)} for {@code n} row-major inputs. */
    double[] expansion(float[] rows, int n) {
        if (rows.length != (long) n * d) {
            throw new IllegalArgumentException("expected " + n + " rows of " + d + " values, got " + rows.length);
        }
        float[] dots = Gemm.dots(root, svT, rows, n, d);
        double[] sq = kernel.needsNorms() ? KernelFunction.squaredNorms(rows, n, d) : new double[n];
        double[] out = new double[n];
        IntStream range = IntStream.range(0, n);
        (n >= PARALLEL_ROWS ? range.parallel() : range).forEach(r -> {
            double s = 0;
            int o = r * m;
            double sr = sq[r];
            for (int i = 0; i < m; i++) {
                s += coef[i] * kernel.value(dots[o + i], sr, svSq[i]);
            }
            out[r] = s;
        });
        return out;
    }

    /** {@code K(x_r, x_r)} for {@code n} row-major inputs. */
    double[] selfKernel(float[] rows, int n) {
        double[] sq = KernelFunction.squaredNorms(rows, n, d);
        double[] out = new double[n];
        for (int r = 0; r < n; r++) {
            out[r] = kernel.self(sq[r]);
        }
        return out;
    }

    /** Native arrays alive under this expansion's manager. */
    int liveTensorCount() {
        return Tensors.liveArrays(root);
    }

    @Override
    public void close() {
        root.close();
    }
}
