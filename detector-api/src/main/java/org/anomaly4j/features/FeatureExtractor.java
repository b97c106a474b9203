package org.anomaly4j.features;

import java.util.List;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.io.ModelArchive;

/**
 * A fitted, immutable, thread-safe map from an image to a feature vector of fixed
 * {@link #dimension()}. Made by {@link FeatureSpec#fit}; saved into a detector's archive under a
 * prefix and restored by {@link FeatureSpec#restore}.
 */
public interface FeatureExtractor extends AutoCloseable {

    /**
     * The fitted spec: the spec this extractor was fitted from, with every data-dependent default
     * resolved (pixel size and channels, backbone levels and seed), so that it recreates the same
     * features; {@code userSpec.admits(spec())} holds. Its {@code toString()} is canonical.
     */
    FeatureSpec spec();

    /** Length of every feature vector. */
    int dimension();

    /** The feature vector of one image (any size or channel count: the extractor preprocesses). */
    float[] extract(AnomalyImage image);

    /**
     * Feature vectors of many images as one row-major {@code n x dimension()} array, in order.
     * Implementations batch and parallelise; progress is reported as stage {@code "features"}. The
     * first call after a fit with a PCA, on the very training images (same objects, same order), returns
     * the features computed while fitting instead of computing them again.
     */
    default float[] extractAll(List<AnomalyImage> images, ProgressListener listener) {
        int d = dimension();
        float[] out = new float[images.size() * d];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(extract(images.get(i)), 0, out, i * d, d);
            listener.progress("features", i + 1, images.size());
        }
        return out;
    }

    /** Adds this extractor's fitted state (e.g. PCA components) to an archive, tensor names prefixed. */
    void write(ModelArchive.Builder archive, String prefix);

    /** Releases native resources (backbones); idempotent. */
    @Override
    default void close() {
    }
}
