package org.anomaly4j.pixel.patchsvdd;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

import org.anomaly4j.tensor.TrainingLoop;

/**
 * The networks of Patch SVDD (Yi & Yoon, ACCV 2020):
 *
 * <pre>
 * enc32:  conv5x5/2(64) - LReLU - conv5x5/2(64) - LReLU - conv5x5(128) - LReLU - conv1x1(D) - tanh
 *         (a 32x32 patch to one D-vector; applied to a whole image: one vector every 4 pixels)
 * enc64:  enc32 on the 2x2 grid of 32x32 sub-patches, then conv2x2(128) - LReLU - conv1x1(D) - tanh
 * heads:  position classifiers, Linear(D,128) - LReLU - Linear(128,128) - LReLU - Linear(128,8),
 *         on the difference of two patch embeddings (one per patch size)
 * </pre>
 *
 * with LeakyReLU slope 0.1. Over a whole image, enc64 is computed from the enc32 map with the 2x2
 * convolution dilated by 8 (32 pixels / stride 4): the same weights, no patch is encoded twice.
 */
final class PatchSvddNet {
    static final float LEAKY = 0.1f;
    static final int STRIDE = 4;

    final SequentialBlock enc32;
    final SequentialBlock hier;
    final SequentialBlock head64;
    final SequentialBlock head32;
    /** enc32 and hier: what scoring needs and what is saved. */
    final SequentialBlock encoder = new SequentialBlock();
    /** Everything trained. */
    final SequentialBlock all = new SequentialBlock();
    private final int dim;
    private final int channels;

    PatchSvddNet(int dim, int channels) {
        this.dim = dim;
        this.channels = channels;
        enc32 = new SequentialBlock()
                .add(conv(64, 5, 2)).add(Activation.leakyReluBlock(LEAKY))
                .add(conv(64, 5, 2)).add(Activation.leakyReluBlock(LEAKY))
                .add(conv(128, 5, 1)).add(Activation.leakyReluBlock(LEAKY))
                .add(conv(dim, 1, 1)).add(Activation.tanhBlock());
        hier = new SequentialBlock()
                .add(conv(128, 2, 1)).add(Activation.leakyReluBlock(LEAKY))
                .add(conv(dim, 1, 1)).add(Activation.tanhBlock());
        head64 = head();
        head32 = head();
        encoder.add(enc32).add(hier);
        all.add(enc32).add(hier).add(head64).add(head32);
    }

    private static Block conv(int filters, int kernel, int stride) {
        return Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).optStride(new Shape(stride, stride))
                .setFilters(filters).build();
    }

    private static SequentialBlock head() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(128).build()).add(Activation.leakyReluBlock(LEAKY))
                .add(Linear.builder().setUnits(128).build()).add(Activation.leakyReluBlock(LEAKY))
                .add(Linear.builder().setUnits(8).build());
    }

    int dim() {
        return dim;
    }

    /** Initialises the encoder (and the heads when {@code heads}). */
    void initialize(NDManager m, long seed, boolean heads) {
        TrainingLoop.initialize(enc32, m, seed, new Shape(1, channels, 32, 32));
        TrainingLoop.initialize(hier, m, seed + 1, new Shape(1, dim, 2, 2));
        if (heads) {
            TrainingLoop.initialize(head64, m, seed + 2, new Shape(1, dim));
            TrainingLoop.initialize(head32, m, seed + 3, new Shape(1, dim));
        }
    }

    /** Embeddings {@code [B, D]} of 32x32 patches {@code [B, C, 32, 32]}. */
    NDArray embed32(ParameterStore ps, NDArray x, boolean training) {
        NDArray h = enc32.forward(ps, new NDList(x), training).singletonOrThrow();
        return h.reshape(h.getShape().get(0), dim);
    }

    /** Embeddings {@code [B, D]} of 64x64 patches {@code [B, C, 64, 64]}, through their four sub-patches. */
    NDArray embed64(ParameterStore ps, NDArray x, boolean training) {
        long b = x.getShape().get(0);
        NDArray sub = x.reshape(b, channels, 2, 32, 2, 32).transpose(0, 2, 4, 1, 3, 5).reshape(b * 4, channels, 32, 32);
        NDArray e = enc32.forward(ps, new NDList(sub), training).singletonOrThrow();
        NDArray grid = e.reshape(b, 2, 2, dim).transpose(0, 3, 1, 2);
        return hier.forward(ps, new NDList(grid), training).singletonOrThrow().reshape(b, dim);
    }

    /** Position logits {@code [B, 8]} from two embeddings. */
    NDArray position(SequentialBlock head, ParameterStore ps, NDArray a, NDArray b, boolean training) {
        return head.forward(ps, new NDList(a.sub(b)), training).singletonOrThrow();
    }

    /**
     * Dense embeddings of a whole image {@code [1, C, H, W]}: the 32-pixel map {@code [1, D, g, g']} and
     * the 64-pixel map {@code [1, D, g - 8, g' - 8]}, both at stride 4 (inference, no gradients).
     */
    NDList dense(NDManager m, NDArray image) {
        ParameterStore ps = new ParameterStore(m, false);
        NDArray e32 = enc32.forward(ps, new NDList(image), false).singletonOrThrow();
        List<Parameter> p = hier.getParameters().values();
        NDArray w1 = p.get(0).getArray();
        NDArray b1 = p.get(1).getArray();
        NDArray w2 = p.get(2).getArray();
        NDArray b2 = p.get(3).getArray();
        int dil = 32 / STRIDE;
        NDArray h = Conv2d.conv2d(e32, w1, b1, new Shape(1, 1), new Shape(0, 0), new Shape(dil, dil), 1)
                .singletonOrThrow();
        h = Activation.leakyRelu(h, LEAKY);
        h = Conv2d.conv2d(h, w2, b2, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), 1).singletonOrThrow().tanh();
        return new NDList(e32, h);
    }

    /** Number of stride-4 positions of a {@code k}-pixel patch along a side of {@code n} pixels. */
    static int positions(int n, int k) {
        return (n - k) / STRIDE + 1;
    }
}
