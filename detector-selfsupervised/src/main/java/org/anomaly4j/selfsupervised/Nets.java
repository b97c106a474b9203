package org.anomaly4j.selfsupervised;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.util.Pair;

import org.anomaly4j.io.CorruptModelException;
import org.anomaly4j.io.ModelArchive;
import org.anomaly4j.tensor.Tensors;

/**
 * The networks of this module: a plain VGG-style convolutional trunk sized by {@code width} and
 * {@code depth} (a 3x3 stem, then per stage two 3x3 convolutions with BatchNorm and ReLU and a 2x2
 * max-pool, channels doubling per stage, global average pooling), followed by parallel heads; and
 * storage of any block's parameters (BatchNorm running statistics included) in a model archive.
 */
final class Nets {
    private Nets() {
    }

    private static Block conv(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(filters)
                .optBias(false).build();
    }

    private static SequentialBlock convBnRelu(SequentialBlock b, int filters) {
        return b.add(conv(filters)).add(BatchNorm.builder().build()).add(Activation.reluBlock());
    }

    /** Feature width of the trunk. */
    static int featureDim(int width, int depth) {
        return width << (depth - 1);
    }

    /** The trunk: {@code [B, C, H, W]} to {@code [B, featureDim]}. */
    static SequentialBlock trunk(int width, int depth, int size) {
        SequentialBlock b = new SequentialBlock();
        convBnRelu(b, width);
        int spatial = size;
        for (int s = 0; s < depth; s++) {
            int f = width << s;
            convBnRelu(b, f);
            convBnRelu(b, f);
            if (spatial >= 4) {
                b.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
                spatial /= 2;
            }
        }
        return b.add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock());
    }

    /** A linear head. */
    static Block linear(int units) {
        return Linear.builder().setUnits(units).build();
    }

    /** SimCLR's projection head: linear - ReLU - linear. */
    static Block projection(int hidden, int out) {
        return new SequentialBlock().add(linear(hidden)).add(Activation.reluBlock()).add(linear(out));
    }

    /** The trunk followed by the heads, whose outputs come back in order (one array each). */
    static SequentialBlock withHeads(Block trunk, List<Block> heads) {
        ParallelBlock p = new ParallelBlock(outs -> {
            NDList all = new NDList(outs.size());
            for (NDList o : outs) {
                all.add(o.singletonOrThrow());
            }
            return all;
        }, heads);
        return new SequentialBlock().add(trunk).add(p);
    }

    /** Writes every parameter of {@code net} as {@code param.K}. */
    static void write(Block net, ModelArchive.Builder archive) {
        int k = 0;
        for (Pair<String, Parameter> p : net.getParameters()) {
            archive.tensor(Tensors.toData("param." + k, p.getValue().getArray()));
            k++;
        }
    }

    /** Reads the parameters written by {@link #write} into an initialised {@code net} of the same shape. */
    static void read(Block net, ModelArchive a) throws IOException {
        int k = 0;
        for (Pair<String, Parameter> p : net.getParameters()) {
            if (!a.tensorNames().contains("param." + k)) {
                throw new CorruptModelException(a.file(), "parameter " + k + " (" + p.getKey() + ") is missing");
            }
            var t = a.tensor("param." + k);
            NDArray arr = p.getValue().getArray();
            if (!Arrays.equals(t.shape(), arr.getShape().getShape())) {
                throw new CorruptModelException(a.file(), "parameter " + k + " (" + p.getKey() + ") has shape "
                        + Arrays.toString(t.shape()) + ", the network " + arr.getShape());
            }
            arr.set(t.values());
            k++;
        }
        if (a.tensorNames().contains("param." + k)) {
            throw new CorruptModelException(a.file(), "more parameters stored than the network has (" + k + ")");
        }
    }
}
