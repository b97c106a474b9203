package org.anomaly4j.tensor;

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
        try (NDArray s = scalar(x, v)) {
            return x.mul(s);
        }
    }

    /** {@code x / v}. */
    public static NDArray div(NDArray x, double v) {
        try (NDArray s = scalar(x, v)) {
            return x.div(s);
        }
    }

    /** {@code x ^ v}. */
    public static NDArray pow(NDArray x, double v) {
        try (NDArray s = scalar(x, v)) {
            return x.pow(s);
        }
    }

    /** Element-wise {@code max(x, v)}. */
    public static NDArray maximum(NDArray x, double v) {
        try (NDArray s = scalar(x, v)) {
            return x.maximum(s);
        }
    }

    /** Element-wise {@code min(x, v)}. */
    public static NDArray minimum(NDArray x, double v) {
        try (NDArray s = scalar(x, v)) {
            return x.minimum(s);
        }
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

    private static NDArray scalar(NDArray like, double v) {
        return like.getManager().full(new Shape(), (float) v, like.getDataType());
    }
}
