package org.anomaly4j.pixel.stfpm;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;

import org.anomaly4j.tensor.FeatureLevel;

/**
 * A trainable MobileNetV2 (torchvision's layout: width 1.0, ReLU6, inverted residuals, BatchNorm)
 * built from DJL blocks, truncated after the deepest stage a teacher level needs, returning one map
 * per teacher level: after {@code features[3]} for stride 4, {@code [6]} for 8, {@code [13]} for 16 and
 * {@code [18]} for 32 (the stages MobileNetV2 backbones return). Where a teacher level has another
 * channel count than the student's stage (a ResNet or TorchScript teacher), a 1x1 convolution maps
 * the student's channels onto the teacher's.
 *
 * <p>{@link #block()} holds every parameter (for the training loop, saving and loading): the stage
 * groups in order, then the adaptors.
 */
final class MobileNetStudent {
    private static final int[][] SETTINGS = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1},
    };

    private final SequentialBlock all = new SequentialBlock();
    private final List<Block> groups = new ArrayList<>();
    private final List<Block> adaptors = new ArrayList<>();

    /**
     * A student for the given teacher levels (strides 4, 8, 16 or 32, increasing).
     *
     * @throws IllegalArgumentException for a stride MobileNetV2 has no stage for
     */
    MobileNetStudent(List<FeatureLevel> levels) {
        List<Integer> ends = new ArrayList<>();
        List<Integer> channels = new ArrayList<>();
        for (FeatureLevel l : levels) {
            int end = switch (l.stride()) {
                case 4 -> 3;
                case 8 -> 6;
                case 16 -> 13;
                case 32 -> 18;
                default -> throw new IllegalArgumentException("teacher level " + l.name() + " has stride " + l.stride()
                        + "; a MobileNetV2 student has stages at strides 4, 8, 16 and 32 only");
            };
            if (!ends.isEmpty() && end <= ends.get(ends.size() - 1)) {
                throw new IllegalArgumentException("teacher levels must have increasing strides, got " + levels);
            }
            ends.add(end);
        }
        List<Block> stages = new ArrayList<>();
        List<Integer> stageChannels = new ArrayList<>();
        stages.add(convBn(32, 3, 2, 1, true));
        stageChannels.add(32);
        int in = 32;
        for (int[] s : SETTINGS) {
            for (int i = 0; i < s[2]; i++) {
                int stride = i == 0 ? s[3] : 1;
                stages.add(invertedResidual(in, s[1], stride, s[0]));
                stageChannels.add(s[1]);
                in = s[1];
            }
        }
        stages.add(convBn(1280, 1, 1, 1, true));
        stageChannels.add(1280);
        int from = 0;
        for (int e : ends) {
            SequentialBlock g = new SequentialBlock();
            for (int i = from; i <= e; i++) {
                g.add(stages.get(i));
            }
            groups.add(g);
            all.add(g);
            channels.add(stageChannels.get(e));
            from = e + 1;
        }
        for (int i = 0; i < levels.size(); i++) {
            int want = levels.get(i).channels();
            Block a = want == channels.get(i) ? null
                    : Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(want).build();
            adaptors.add(a);
        }
        for (Block a : adaptors) {
            if (a != null) {
                all.add(a);
            }
        }
    }

    /** The block holding every parameter (its own forward is never used). */
    SequentialBlock block() {
        return all;
    }

    /** Initialises the groups (chained shapes) and the adaptors for {@code [1, 3, h, w]} inputs. */
    void initialize(ai.djl.ndarray.NDManager manager, long seed, int height, int width) {
        Shape s = new Shape(1, 3, height, width);
        List<Shape> outs = new ArrayList<>();
        org.anomaly4j.tensor.TrainingLoop.initialize(groups.get(0), manager, seed, s);
        s = groups.get(0).getOutputShapes(new Shape[] {s})[0];
        outs.add(s);
        for (int i = 1; i < groups.size(); i++) {
            org.anomaly4j.tensor.TrainingLoop.initialize(groups.get(i), manager, seed + i, s);
            s = groups.get(i).getOutputShapes(new Shape[] {s})[0];
            outs.add(s);
        }
        for (int i = 0; i < adaptors.size(); i++) {
            if (adaptors.get(i) != null) {
                org.anomaly4j.tensor.TrainingLoop.initialize(adaptors.get(i), manager, seed + 100 + i, outs.get(i));
            }
        }
    }

    /** The student maps, one per teacher level. */
    List<NDArray> forward(ParameterStore ps, NDArray x, boolean training) {
        List<NDArray> out = new ArrayList<>(groups.size());
        NDArray h = x;
        for (int i = 0; i < groups.size(); i++) {
            h = groups.get(i).forward(ps, new NDList(h), training).singletonOrThrow();
            Block a = adaptors.get(i);
            out.add(a == null ? h : a.forward(ps, new NDList(h), training).singletonOrThrow());
        }
        return out;
    }

    private static Block convBn(int out, int kernel, int stride, int groups, boolean relu) {
        SequentialBlock b = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).optStride(new Shape(stride, stride))
                        .optPadding(new Shape((kernel - 1) / 2, (kernel - 1) / 2)).setFilters(out).optGroups(groups)
                        .optBias(false).build())
                .add(BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build());
        if (relu) {
            b.add(Activation.relu6Block());
        }
        return b;
    }

    private static Block invertedResidual(int in, int out, int stride, int expansion) {
        int hidden = in * expansion;
        SequentialBlock body = new SequentialBlock();
        if (expansion != 1) {
            body.add(convBn(hidden, 1, 1, 1, true));
        }
        body.add(convBn(hidden, 3, stride, hidden, true)).add(convBn(out, 1, 1, 1, false));
        if (stride == 1 && in == out) {
            return new ParallelBlock(l -> new NDList(l.get(0).singletonOrThrow().add(l.get(1).singletonOrThrow())),
                    List.of(body, Blocks.identityBlock()));
        }
        return body;
    }
}
