package org.anomaly4j.reconstruction;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The small DCGAN-style networks every reconstruction method is built from, sized by the config
 * ({@code filters}, {@code latent}, {@code depth}) and the input size. With {@code d} stages and
 * {@code f_i = filters * 2^min(i, 3)}:
 *
 * <pre>
 * features:      d x [conv4x4 stride 2 pad 1 (f_i) - BN (not on the first) - LeakyReLU 0.2]
 * encoder(n):    features - flatten - linear(n)
 * decoder(n):    linear(f_{d-1} * H/2^d * W/2^d) - reshape - ReLU
 *                - (d-1) x [up2 - conv3x3 (f_{i-1}) - BN - ReLU] - up2 - conv3x3 (out)
 * (up2: nearest-neighbour 2x upsampling)
 * discriminator: features - flatten - linear(1)            (a logit)
 * unet(out):     features with skip connections into the mirrored up2-conv stages (restoration, RIAD)
 * </pre>
 *
 * Decoders end without activation: the caller applies a sigmoid (images in [0, 1]) or reads two
 * outputs per channel (VAE mean and log-variance). The same architecture in PyTorch is in
 * {@code tools/ae_train_bench.py} (the training speed reference).
 */
final class Nets {
    private Nets() {
    }

    static int stageFilters(ReconstructionConfig c, int i) {
        return c.filters() << Math.min(i, 3);
    }

    private static Block down(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(4, 4)).optStride(new Shape(2, 2)).optPadding(new Shape(1, 1))
                .setFilters(filters).build();
    }

    /** Nearest-neighbour 2x upsampling then a 3x3 convolution (PyTorch's engine in DJL has no transposed convolution). */
    private static Block up(int filters) {
        return new SequentialBlock().add(new LambdaBlock(l -> {
            NDArray x = l.singletonOrThrow();
            Shape s = x.getShape();
            return new NDList(x.getNDArrayInternal().interpolation(new long[] {s.get(2) * 2, s.get(3) * 2},
                    Image.Interpolation.NEAREST.ordinal(), false));
        }, "upsample2")).add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                .setFilters(filters).build());
    }

    private static Block bn() {
        return BatchNorm.builder().build();
    }

    /** The convolution stages: {@code [B, C, H, W] -> [B, f_{d-1}, H/2^d, W/2^d]}. */
    static SequentialBlock features(ReconstructionConfig c) {
        SequentialBlock s = new SequentialBlock();
        for (int i = 0; i < c.depth(); i++) {
            s.add(down(stageFilters(c, i)));
            if (i > 0) {
                s.add(bn());
            }
            s.add(Activation.leakyReluBlock(0.2f));
        }
        return s;
    }

    /** {@code features - flatten - linear(units)}; child 0 is the feature stack, child 2 the linear head. */
    static SequentialBlock encoder(ReconstructionConfig c, int units) {
        return new SequentialBlock().add(features(c)).add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(units).build());
    }

    /** A discriminator: features then one logit. */
    static SequentialBlock discriminator(ReconstructionConfig c) {
        return encoder(c, 1);
    }

    /** {@code [B, n] -> [B, outChannels, H, W]}, no output activation. */
    static SequentialBlock decoder(ReconstructionConfig c, int outChannels) {
        int d = c.depth();
        int h = c.height() >> d;
        int w = c.width() >> d;
        int top = stageFilters(c, d - 1);
        SequentialBlock s = new SequentialBlock()
                .add(Linear.builder().setUnits((long) top * h * w).build())
                .add(new LambdaBlock(l -> new NDList(l.singletonOrThrow().reshape(-1, top, h, w)), "unflatten"))
                .add(Activation.reluBlock());
        for (int i = d - 1; i >= 1; i--) {
            s.add(up(stageFilters(c, i - 1))).add(bn()).add(Activation.reluBlock());
        }
        return s.add(up(outChannels));
    }

    /** A U-Net of {@code depth} stages: {@code [B, C, H, W] -> [B, outChannels, H, W]}, no output activation. */
    static Block unet(ReconstructionConfig c, int outChannels) {
        return new UNet(c, outChannels);
    }

    /** Encoder stages with skip connections concatenated into the decoder stages. */
    static final class UNet extends AbstractBlock {
        private final SequentialBlock[] downs;
        private final SequentialBlock[] ups;

        UNet(ReconstructionConfig c, int outChannels) {
            int d = c.depth();
            downs = new SequentialBlock[d];
            ups = new SequentialBlock[d];
            for (int i = 0; i < d; i++) {
                SequentialBlock s = new SequentialBlock().add(down(stageFilters(c, i)));
                if (i > 0) {
                    s.add(bn());
                }
                downs[i] = addChildBlock("down" + i, s.add(Activation.leakyReluBlock(0.2f)));
            }
            for (int i = d - 1; i >= 0; i--) {
                SequentialBlock s = new SequentialBlock();
                if (i > 0) {
                    s.add(up(stageFilters(c, i - 1))).add(bn()).add(Activation.reluBlock());
                } else {
                    s.add(up(outChannels));
                }
                ups[i] = addChildBlock("up" + i, s);
            }
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            NDArray[] skips = new NDArray[downs.length];
            for (int i = 0; i < downs.length; i++) {
                x = downs[i].forward(ps, new NDList(x), training).singletonOrThrow();
                skips[i] = x;
            }
            for (int i = downs.length - 1; i >= 0; i--) {
                NDArray in = i == downs.length - 1 ? x : NDArrays.concat(new NDList(x, skips[i]), 1);
                x = ups[i].forward(ps, new NDList(in), training).singletonOrThrow();
            }
            return new NDList(x);
        }

        @Override
        protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, ai.djl.ndarray.types.DataType type,
                Shape... inputShapes) {
            Shape s = inputShapes[0];
            Shape[] outs = new Shape[downs.length];
            for (int i = 0; i < downs.length; i++) {
                downs[i].initialize(manager, type, s);
                s = downs[i].getOutputShapes(new Shape[] {s})[0];
                outs[i] = s;
            }
            Shape x = s;
            for (int i = downs.length - 1; i >= 0; i--) {
                Shape in = i == downs.length - 1 ? x
                        : new Shape(x.get(0), x.get(1) + outs[i].get(1), x.get(2), x.get(3));
                ups[i].initialize(manager, type, in);
                x = ups[i].getOutputShapes(new Shape[] {in})[0];
            }
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            Shape s = inputShapes[0];
            for (SequentialBlock b : downs) {
                s = b.getOutputShapes(new Shape[] {s})[0];
            }
            for (int i = downs.length - 1; i >= 0; i--) {
                s = ups[i].getOutputShapes(new Shape[] {s})[0];
            }
            return new Shape[] {new Shape(inputShapes[0].get(0), s.get(1), inputShapes[0].get(2), inputShapes[0].get(3))};
        }
    }
}
