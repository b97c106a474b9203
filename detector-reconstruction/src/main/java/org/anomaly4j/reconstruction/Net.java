package org.anomaly4j.reconstruction;

import java.util.LinkedHashMap;
import java.util.Map;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A named set of networks trained together (encoder and decoder, generator and discriminator...):
 * one {@link Block} whose parameters are those of its parts, so that the shared
 * {@link org.anomaly4j.tensor.TrainingLoop} optimises them with one optimizer. The loss function
 * calls the parts; the set itself has no forward pass. Each part is initialised for its own input
 * shape.
 */
final class Net extends AbstractBlock {
    private final Map<String, Block> parts = new LinkedHashMap<>();
    private final Map<String, Shape> inputs = new LinkedHashMap<>();

    /** Adds a part taking {@code [1, ...]} inputs of {@code inputShape}. */
    Net add(String name, Block block, Shape inputShape) {
        parts.put(name, addChildBlock(name, block));
        inputs.put(name, inputShape);
        return this;
    }

    Block part(String name) {
        Block b = parts.get(name);
        if (b == null) {
            throw new IllegalArgumentException("no part '" + name + "' in " + parts.keySet());
        }
        return b;
    }

    boolean has(String name) {
        return parts.containsKey(name);
    }

    /** The shape the first part is initialised with (any shape will do for {@code initialize}). */
    Shape anyInputShape() {
        return inputs.values().iterator().next();
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Map.Entry<String, Block> e : parts.entrySet()) {
            e.getValue().initialize(manager, dataType, inputs.get(e.getKey()));
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("a set of networks has no forward pass; call its parts");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        throw new UnsupportedOperationException("a set of networks has no output shape; ask its parts");
    }
}
