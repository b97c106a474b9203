package org.anomaly4j.oneclass;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

import org.anomaly4j.api.AnomalyImage;

/**
 * The networks of Deep SVDD (Ruff et al., ICML 2018), without any bias term (a bias lets the network
 * map everything onto the centre: the "hypersphere collapse" the paper rules out):
 *
 * <pre>
 * encoder: conv5x5(f1) - BN - LeakyReLU - maxpool2 - conv5x5(f2) - BN - LeakyReLU - maxpool2 - linear(rep)
 * decoder: linear(f2 * H/4 * W/4) - reshape - LeakyReLU - up2 - conv5x5(f1) - BN - LeakyReLU - up2
 *          - conv5x5(channels) - sigmoid
 * </pre>
 *
 * with BatchNorm without affine parameters (eps 1e-4, PyTorch momentum 0.1), LeakyReLU slope 0.01
 * (PyTorch's default) and nearest-neighbour 2x upsampling. The decoder mirrors the encoder for the
 * autoencoder pretraining; only the encoder is kept. Also here: Ruff et al.'s input normalisation.
 */
final class DeepSvddNet {
    static final float BN_EPS = 1e-4f;
    static final float LEAKY = 0.01f;

    private DeepSvddNet() {
    }

    private static Block conv(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(5, 5)).optPadding(new Shape(2, 2)).setFilters(filters)
                .optBias(false).build();
    }

    private static Block bn() {
        return BatchNorm.builder().optEpsilon(BN_EPS).optMomentum(0.9f).optCenter(false).optScale(false).build();
    }

    private static Block up2() {
        return new LambdaBlock(l -> new NDList(l.singletonOrThrow().repeat(2, 2).repeat(3, 2)), "upsample2");
    }

    /** The encoder for {@code [B, channels, height, width]} inputs. */
    static SequentialBlock encoder(DeepSvddConfig c) {
        return new SequentialBlock()
                .add(conv(c.filters1())).add(bn()).add(Activation.leakyReluBlock(LEAKY))
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(conv(c.filters2())).add(bn()).add(Activation.leakyReluBlock(LEAKY))
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(c.repDim()).optBias(false).build());
    }

    /** The mirrored decoder, from {@code [B, repDim]} back to {@code [B, channels, height, width]}. */
    static SequentialBlock decoder(DeepSvddConfig c) {
        int h4 = c.height() / 4;
        int w4 = c.width() / 4;
        int f2 = c.filters2();
        return new SequentialBlock()
                .add(Linear.builder().setUnits((long) f2 * h4 * w4).optBias(false).build())
                .add(new LambdaBlock(l -> new NDList(l.singletonOrThrow().reshape(-1, f2, h4, w4)), "unflatten"))
                .add(Activation.leakyReluBlock(LEAKY)).add(up2())
                .add(conv(c.filters1())).add(bn()).add(Activation.leakyReluBlock(LEAKY)).add(up2())
                .add(conv(c.channels())).add(Activation.sigmoidBlock());
    }

    /** The model input shape of one image. */
    static Shape inputShape(DeepSvddConfig c) {
        return new Shape(c.channels(), c.height(), c.width());
    }

    /**
     * Global contrast normalisation with the L1 scale (Ruff et al.): subtract the image mean, divide
     * by the mean absolute deviation (a constant image becomes all zeros). In place.
     */
    static void gcn(float[] x, int offset, int length) {
        double mean = 0;
        for (int i = 0; i < length; i++) {
            mean += x[offset + i];
        }
        mean /= length;
        double scale = 0;
        for (int i = 0; i < length; i++) {
            scale += Math.abs(x[offset + i] - mean);
        }
        scale /= length;
        for (int i = 0; i < length; i++) {
            double v = x[offset + i] - mean;
            x[offset + i] = (float) (scale > 1e-12 ? v / scale : 0.0);
        }
    }

    /** The model input of a preprocessed image: values, contrast-normalised when asked for (no min-max yet). */
    static float[] raw(AnomalyImage modelInput, boolean gcn) {
        float[] x = modelInput.toArray();
        if (gcn) {
            gcn(x, 0, x.length);
        }
        return x;
    }
}
