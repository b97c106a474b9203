package org.anomaly4j.density;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

import org.anomaly4j.tensor.Autograd;

/**
 * A normalizing flow on {@code D}-dimensional vectors: a stack of affine coupling blocks (RealNVP, Dinh et
 * al. 2017; the soft-clamped scales of Glow-style flows as used by DifferNet, Rudolph et al. 2021). Block
 * {@code b} splits its input into a conditioning part {@code x1} and a transformed part {@code x2}, by halves
 * or by even/odd positions, and the side in turn ({@code b mod 4}: first half conditions the second, second
 * the first, even positions the odd ones, odd the even ones; the even/odd splits need even {@code D}):
 *
 * <pre>
 * [s', t] = W2 relu(W1 x1 + b1) + b2,   s = clamp tanh(s' / clamp),   y2 = x2 exp(s) + t,   y1 = x1
 * </pre>
 *
 * with {@code log |det J| = sum s}. The subnetworks' last layers start at zero, so the untrained flow is
 * the identity. Forward output: {@code z [B, D]} and the total log-determinant {@code [B]}; the negative
 * log-likelihood of {@code x} is {@code |z|^2 / 2 + D log(2 pi) / 2 - log det}.
 */
final class FlowNet extends AbstractBlock {
    private final int dim;
    private final int blocks;
    private final float clamp;
    private final List<SequentialBlock> subnets = new ArrayList<>();
    private final boolean evenOdd;

    FlowNet(int dim, int blocks, int hidden, double clamp) {
        super((byte) 1);
        if (dim < 2) {
            throw new IllegalArgumentException("a coupling flow needs at least 2 dimensions, got " + dim);
        }
        this.dim = dim;
        this.blocks = blocks;
        this.clamp = (float) clamp;
        this.evenOdd = dim % 2 == 0;
        for (int b = 0; b < blocks; b++) {
            int out = 2 * transformedSize(b);
            SequentialBlock net = new SequentialBlock()
                    .add(Linear.builder().setUnits(hidden).build())
                    .add(Activation.reluBlock())
                    .add(Linear.builder().setUnits(out).build());
            subnets.add(addChildBlock("coupling" + b, net));
        }
    }

    private int mode(int b) {
        return evenOdd ? b % 4 : b % 2;
    }

    /** Size of the conditioning part of block {@code b}. */
    private int conditionSize(int b) {
        return dim - transformedSize(b);
    }

    /** Size of the transformed part of block {@code b}. */
    private int transformedSize(int b) {
        return switch (mode(b)) {
            case 0 -> dim - dim / 2;
            case 1 -> dim / 2;
            default -> dim / 2;
        };
    }

    /** Zeroes every subnetwork's last layer (the identity flow). Call after initialisation. */
    void zeroLastLayers() {
        for (SequentialBlock s : subnets) {
            Block last = s.getChildren().get(s.getChildren().size() - 1).getValue();
            for (Pair<String, Parameter> p : last.getParameters()) {
                NDArray a = p.getValue().getArray();
                a.set(new float[Math.toIntExact(a.size())]);
            }
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        long batch = x.getShape().get(0);
        int h = dim / 2;
        NDArray logDet = null;
        for (int b = 0; b < blocks; b++) {
            NDArray cond;
            NDArray moving;
            int mode = mode(b);
            switch (mode) {
                case 0 -> {
                    cond = x.get(":, 0:" + h);
                    moving = x.get(":, " + h + ":");
                }
                case 1 -> {
                    cond = x.get(":, " + h + ":");
                    moving = x.get(":, 0:" + h);
                }
                case 2 -> {
                    cond = x.get(":, 0::2");
                    moving = x.get(":, 1::2");
                }
                default -> {
                    cond = x.get(":, 1::2");
                    moving = x.get(":, 0::2");
                }
            }
            int t = transformedSize(b);
            NDArray st = subnets.get(b).forward(ps, new NDList(cond), training).singletonOrThrow();
            NDArray s = Autograd.mul(Autograd.div(st.get(":, 0:" + t), clamp).tanh(), clamp);
            NDArray shift = st.get(":, " + t + ":");
            NDArray moved = moving.mul(s.exp()).add(shift);
            NDArray ld = s.sum(new int[] {1});
            logDet = logDet == null ? ld : logDet.add(ld);
            x = switch (mode) {
                case 0 -> cond.concat(moved, 1);
                case 1 -> moved.concat(cond, 1);
                case 2 -> NDArrays.stack(new NDList(cond, moved), 2).reshape(batch, dim);
                default -> NDArrays.stack(new NDList(moved, cond), 2).reshape(batch, dim);
            };
        }
        return new NDList(x, logDet);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0], new Shape(inputShapes[0].get(0))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        for (int b = 0; b < blocks; b++) {
            subnets.get(b).initialize(manager, dataType, new Shape(batch, conditionSize(b)));
        }
    }
}
