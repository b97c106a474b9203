package org.anomaly4j.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * The objective {@link TrainingLoop} minimises: a scalar from one batch. Anything fits: reconstruction
 * ({@code ||f(x) - x||^2}, 1 - SSIM), classification (cross-entropy on rotation labels), one-class
 * ({@code ||f(x) - c||^2}) or several forward passes per batch (student–teacher).
 */
@FunctionalInterface
public interface LossFunction {

    /**
     * The loss of one batch, a scalar NDArray (mean over the batch, so that the epoch loss is a
     * sample-weighted average).
     *
     * @param pass  runs the block being trained (in training or evaluation mode)
     * @param batch what the {@link BatchSource} produced
     */
    NDArray compute(Pass pass, NDList batch);

    /** Mean squared error between the block's output on {@code batch[0]} and {@code batch[1]} (or {@code batch[0]}). */
    static LossFunction meanSquaredError() {
        return (pass, batch) -> {
            NDArray target = batch.size() > 1 ? batch.get(1) : batch.get(0);
            NDArray out = pass.forward(batch.get(0));
            return out.sub(target.reshape(out.getShape())).square().mean();
        };
    }

    /**
     * One forward context: the block, the parameter store of the run, and whether this is a training
     * pass (dropout and BatchNorm batch statistics on) or an evaluation pass.
     */
    record Pass(Block block, ParameterStore parameters, boolean training) {
        /** {@code block.forward(parameters, inputs, training)}. */
        public NDList forward(NDList inputs) {
            return block.forward(parameters, inputs, training);
        }

        /** Forward of a single input to a single output. */
        public NDArray forward(NDArray input) {
            return forward(new NDList(input)).singletonOrThrow();
        }
    }
}
