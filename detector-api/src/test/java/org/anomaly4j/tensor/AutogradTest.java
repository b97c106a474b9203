package org.anomaly4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import org.junit.jupiter.api.Test;

/**
 * {@link Autograd}: the scalar operations give the gradients of plain arithmetic, and the gradients do
 * not change when the JVM collects and reuses direct buffers between the forward and the backward pass
 * (DJL's own {@code x.mul(2)} saves a scalar over a collectable buffer; see the class comment).
 */
class AutogradTest {
    /** Collect garbage (and with it unreachable direct buffers), then reuse the freed memory. */
    static void churnDirectMemory() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
        }
        List<ByteBuffer> junk = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            ByteBuffer buf = ByteBuffer.allocateDirect(8 * (1 + i % 32));
            while (buf.hasRemaining()) {
                buf.put((byte) 0x7f);
            }
            junk.add(buf);
        }
        assertEquals(2000, junk.size());
    }

    private static float[] gradient(NDManager m, UnaryOperator<NDArray> f, boolean churn) throws InterruptedException {
        float[] v = new float[24];
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.1f + (i * 7 % 11) / 11f;
        }
        NDArray x = m.create(v, new Shape(2, 12));
        x.setRequiresGradient(true);
        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
            NDArray loss = f.apply(x).sum();
            if (churn) {
                churnDirectMemory();
            }
            gc.backward(loss);
        }
        return x.getGradient().toFloatArray();
    }

    @Test
    void givenScalarOps_whenBackpropagated_thenGradientsOfPlainArithmetic() throws Exception {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            float[] g = gradient(m, x -> Autograd.mul(x, 3), false);
            for (float v : g) {
                assertEquals(3f, v, 1e-6);
            }
            g = gradient(m, x -> Autograd.div(x, 4), false);
            for (float v : g) {
                assertEquals(0.25f, v, 1e-6);
            }
            float[] x2 = gradient(m, x -> Autograd.pow(x, 2), false);
            float[] sq = gradient(m, NDArray::square, false);
            assertArrayEquals(sq, x2, 1e-5f);
            g = gradient(m, x -> Autograd.maximum(x, 0.5), false);
            float[] h = gradient(m, x -> Autograd.minimum(x, 0.5), false);
            for (int i = 0; i < g.length; i++) {
                assertEquals(1f, g[i] + h[i], 1e-6, "max and min split the gradient at " + i);
            }
            NDArray y = Autograd.mul(m.create(new float[] {1, 2}), 2.5);
            assertArrayEquals(new float[] {2.5f, 5f}, y.toFloatArray());
        }
    }

    @Test
    void givenScalarOps_whenBuffersAreCollectedBeforeBackward_thenGradientIsUnchanged() throws Exception {
        UnaryOperator<NDArray> f = x -> Autograd.maximum(Autograd.div(Autograd.mul(x, 3), 7), 0.2).square();
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            float[] quiet = gradient(m, f, false);
            for (int round = 0; round < 3; round++) {
                assertArrayEquals(quiet, gradient(m, f, true), "round " + round);
            }
        }
    }

    @Test
    void givenCreatedArray_whenOwned_thenSameValuesAndTheViewClosed() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray view = m.create(new long[] {3, 1, 2});
            NDArray own = Autograd.owned(view);
            assertArrayEquals(new long[] {3, 1, 2}, own.toLongArray());
            assertEquals(true, view.isReleased());
        }
    }
}
