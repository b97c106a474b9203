package org.anomaly4j.reconstruction;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;

/**
 * The memory module of MemAE (Gong et al., ICCV 2019): {@code N} learned items {@code M} of the
 * code size. A code {@code z} addresses them by cosine similarity and softmax,
 * {@code w = softmax(z M^T / (|z||M|))}; hard shrinkage keeps only items with
 * {@code w_i > lambda} ({@code w_i = relu(w_i - lambda) w_i / (|w_i - lambda| + eps)}, then
 * L1-renormalised), and the decoder gets {@code w M}. Output: {@code [z_hat, w]}.
 */
final class Memory extends AbstractBlock {
    private final Parameter items;
    private final float lambda;

    Memory(int slots, int dim, double lambda) {
        this.lambda = (float) lambda;
        float bound = (float) (1 / Math.sqrt(dim));
        items = addParameter(Parameter.builder().setName("items").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(slots, dim)).optInitializer(new UniformInitializer(bound)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray z = inputs.singletonOrThrow();
        NDArray m = ps.getValue(items, z.getDevice(), training);
        NDArray zn = z.div(z.norm(new int[] {1}, true).add(1e-12f));
        NDArray mn = m.div(m.norm(new int[] {1}, true).add(1e-12f));
        NDArray w = zn.matMul(mn.transpose()).softmax(1);
        if (lambda > 0) {
            NDArray shifted = w.sub(lambda);
            w = Activation.relu(shifted).mul(w).div(shifted.abs().add(1e-12f));
            w = w.div(w.sum(new int[] {1}, true).add(1e-12f));
        }
        return new NDList(w.matMul(m), w);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        return new Shape[] {new Shape(b, items.getShape().get(1)), new Shape(b, items.getShape().get(0))};
    }
}
