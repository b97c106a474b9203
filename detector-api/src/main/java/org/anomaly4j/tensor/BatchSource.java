package org.anomaly4j.tensor;

import java.util.Random;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Where {@link TrainingLoop} gets its batches: a dataset of {@link #size()} samples addressed by index.
 * The loop decides the (seeded) order; the source only materialises the samples it is asked for, so
 * data can stay in memory ({@link ArrayDataset}), be decoded lazily, or be generated on the fly.
 */
public interface BatchSource {
    /** Number of samples. */
    int size();

    /**
     * The samples {@code indices} as one batch (for example {@code [input, target]}, each with a leading
     * batch axis), created in {@code manager}, which the loop closes after the step.
     *
     * @param random a generator seeded from the config seed, the epoch and the batch number, for
     *               augmentations that must be reproducible (degradations, masks, rotations)
     */
    NDList batch(NDManager manager, int[] indices, Random random);
}
