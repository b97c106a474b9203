package org.anomaly4j.tensor;

import java.util.function.BinaryOperator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic that is safe on the training path. DJL's PyTorch engine makes {@code x.mul(2)} by
 * creating a scalar tensor over a Java direct buffer ({@code from_blob}) and closing it at once; autograd
 * saves that scalar for the backward pass of {@code mul}, {@code div}, {@code pow}, {@code maximum} and
 * {@code minimum}. When the JVM collects the buffer between the forward and the backward pass, the
 * backward pass reads freed memory: wrong gradients, "index out of bounds" errors or a crash. The
 * methods here use a scalar in engine-owned memory ({@code torch.full}) instead. {@code add} and
 * {@code sub} with a number save nothing and need no replacement. Use these wherever a gradient may flow.
 */
public final class Autograd {
    private Autograd() {
    }

    /** {@code x * v}. */
    public static NDArray mul(NDArray x, double v) {
        return withScalar(x, v, NDArray::mul);
    }

    /** {@code x / v}. */
    public static NDArray div(NDArray x, double v) {
        return withScalar(x, v, NDArray::div);
    }

    /** {@code x ^ v}. */
    public static NDArray pow(NDArray x, double v) {
        return withScalar(x, v, NDArray::pow);
    }

    /** Element-wise {@code max(x, v)}. */
    public static NDArray maximum(NDArray x, double v) {
        return withScalar(x, v, NDArray::maximum);
    }

    /** Element-wise {@code min(x, v)}. */
    public static NDArray minimum(NDArray x, double v) {
        return withScalar(x, v, NDArray::minimum);
    }

    /**
     * A copy of {@code created} in engine-owned memory; {@code created} is closed. For arrays made with
     * {@code NDManager.create} (a view of a Java direct buffer) that autograd may save, such as gather
     * indices or convolution weights built in a temporary manager.
     */
    public static NDArray owned(NDArray created) {
        try (created) {
            return created.duplicate();
        }
    }

    /** {@code op(x, v)} with {@code v} as a 0-d array of {@code x}'s type in engine-owned memory. */
    private static NDArray withScalar(NDArray x, double v, BinaryOperator<NDArray> op) {
        try (NDArray s = x.getManager().full(new Shape(), (float) v, x.getDataType())) {
            return op.apply(x, s);
        }
    }
}
