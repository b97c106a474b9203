package org.anomaly4j.tensor;

import java.util.List;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * A pretrained (or seeded random) network that turns a normalised image batch into multi-scale
 * feature maps: what feature-based detectors (PatchCore, PaDiM, SPADE, STFPM, DFR...) build on.
 * Made by {@link Backbones#parse(String, long)}.
 *
 * <p>Thread-safe: {@link #features} may run from several threads at once (scoring is concurrent).
 * It works under no-gradient mode, keeps every intermediate tensor in its own sub-manager, and
 * attaches only the returned maps to the caller's manager. {@link #close()} releases the weights
 * and is idempotent; no forward may run during or after it.
 */
public interface Backbone extends AutoCloseable {

    /** The maps {@link #features} returns, in order. */
    List<FeatureLevel> levels();

    /**
     * The feature maps of a batch.
     *
     * @param manager the caller's (scoring) manager: the returned maps are attached to it
     * @param batch   normalised (see {@link #normalization()}) float32 {@code [N, 3, H, W]}, on
     *                {@link #device()} (another device or dtype is converted, at the cost of a copy)
     * @return one {@code [N, channels, ceil(H / stride), ceil(W / stride)]} map per level (sizes round
     *         as the network's padding makes them), in {@link #levels()} order
     */
    NDList features(NDManager manager, NDArray batch);

    /** The input normalisation the network expects (ImageNet statistics unless the source says otherwise). */
    Normalization normalization();

    /** The string that recreates this backbone with {@link Backbones#parse(String, long)} (and the same seed). */
    String spec();

    /** Where the weights live; batches are expected there. */
    Device device();

    /** Releases the native weights; idempotent. */
    @Override
    void close();
}
