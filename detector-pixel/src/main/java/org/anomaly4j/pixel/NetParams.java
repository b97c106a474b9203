package org.anomaly4j.pixel;

import java.util.Arrays;
import java.util.function.Supplier;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;

import org.anomaly4j.io.CorruptModelException;
import org.anomaly4j.io.ModelArchive;
import org.anomaly4j.io.TensorData;
import org.anomaly4j.tensor.Tensors;

/**
 * Saves and restores the parameters of a trained DJL {@link Block} (weights and BatchNorm running
 * statistics) as archive tensors {@code PREFIX.0, PREFIX.1, ...} in the block's parameter order, so
 * that trained pixel detectors (student networks, autoencoders, patch encoders) persist the same way.
 */
public final class NetParams {
    private NetParams() {
    }

    /** Adds every parameter of {@code block} as {@code prefix.k}. */
    public static void write(Block block, String prefix, ModelArchive.Builder archive) {
        int k = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            archive.tensor(Tensors.toData(prefix + "." + k, p.getValue().getArray()));
            k++;
        }
    }

    /**
     * Copies {@code prefix.k} into the parameters of an initialised {@code block}.
     *
     * @throws CorruptModelException when a tensor is missing, has another shape, or there are more
     *                               stored tensors than parameters
     */
    public static void read(Block block, String prefix, ModelArchive archive) throws CorruptModelException {
        int k = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            String name = prefix + "." + k;
            if (!archive.tensorNames().contains(name)) {
                throw new CorruptModelException(archive.file(), "missing tensor " + name + " (" + p.getKey() + ")");
            }
            TensorData t = archive.tensor(name);
            NDArray arr = p.getValue().getArray();
            if (!Arrays.equals(t.shape(), arr.getShape().getShape())) {
                throw new CorruptModelException(archive.file(), "tensor " + name + " (" + p.getKey() + ") has shape "
                        + Arrays.toString(t.shape()) + ", the network " + arr.getShape());
            }
            arr.set(t.values());
            k++;
        }
        if (archive.tensorNames().contains(prefix + "." + k)) {
            throw new CorruptModelException(archive.file(), "more '" + prefix + "' tensors stored than the network has ("
                    + k + ")");
        }
    }

    /**
     * Runs {@code body} with PyTorch's gradient recording off on this thread (inference with a
     * trained block whose parameters still require gradients), restoring the previous mode.
     */
    public static <T> T withoutGradients(Supplier<T> body) {
        boolean grad = JniUtils.isGradMode();
        if (grad) {
            JniUtils.setGradMode(false);
        }
        try {
            return body.get();
        } finally {
            if (grad) {
                JniUtils.setGradMode(true);
            }
        }
    }
}
