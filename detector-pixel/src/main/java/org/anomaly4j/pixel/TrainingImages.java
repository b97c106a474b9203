package org.anomaly4j.pixel;

import java.util.stream.IntStream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidImageException;
import org.anomaly4j.api.LabeledImage;
import org.anomaly4j.api.Preprocessing;
import org.anomaly4j.tensor.BatchSource;
import org.anomaly4j.tensor.Normalization;

/**
 * Shared input handling of the trained pixel detectors: the normal-only check of a training set,
 * preprocessing plus normalisation of all its images (in parallel), a per-image batch, and an
 * in-memory {@link BatchSource} over per-sample arrays that are not copied.
 */
public final class TrainingImages {
    private TrainingImages() {
    }

    /** Throws {@link InvalidImageException} for an empty set or an anomalous image. */
    public static void requireNormals(ImageSet normals, String type) {
        if (normals == null || normals.isEmpty()) {
            throw new InvalidImageException(type + " needs at least one normal training image");
        }
        for (LabeledImage li : normals) {
            if (li.isAnomalous()) {
                throw new InvalidImageException("training image " + li.id() + " is labelled anomalous: fit " + type
                        + " on normal images only");
            }
        }
    }

    /** Every image preprocessed and normalised, planar {@code [C, H, W]} floats. */
    public static float[][] prepare(ImageSet images, Preprocessing pre, Normalization norm) {
        float[][] out = new float[images.size()][];
        IntStream.range(0, images.size()).parallel().forEach(i -> out[i] = prepare(images.get(i).image(), pre, norm,
                true));
        return out;
    }

    /** One image normalised ({@code preprocess} false: it already has the model's shape). */
    public static float[] prepare(AnomalyImage image, Preprocessing pre, Normalization norm, boolean preprocess) {
        AnomalyImage p = preprocess ? pre.apply(image) : image;
        float[] d = p.toArray();
        int plane = p.width() * p.height();
        float[] mean = norm.mean();
        float[] std = norm.std();
        for (int c = 0; c < p.channels(); c++) {
            float inv = 1f / std[c];
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                d[i] = (d[i] - mean[c]) * inv;
            }
        }
        return d;
    }

    /** {@code values} of {@code n} samples of {@code shape} as one {@code [n, ...shape]} array. */
    public static NDArray batch(NDManager m, float[][] samples, int[] indices, Shape shape) {
        int per = Math.toIntExact(shape.size());
        float[] buf = new float[indices.length * per];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(samples[indices[i]], 0, buf, i * per, per);
        }
        return m.create(buf, new Shape(indices.length).addAll(shape));
    }

    /** A batch source over fields of per-sample arrays (kept by reference, not copied). */
    public static BatchSource source(float[][][] fields, Shape[] shapes) {
        int n = fields[0].length;
        return new BatchSource() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public NDList batch(NDManager manager, int[] indices, java.util.Random random) {
                NDList out = new NDList(fields.length);
                for (int k = 0; k < fields.length; k++) {
                    out.add(TrainingImages.batch(manager, fields[k], indices, shapes[k]));
                }
                return out;
            }
        };
    }
}
