package org.anomaly4j.selfsupervised;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidImageException;
import org.anomaly4j.api.LabeledImage;
import org.anomaly4j.api.Preprocessing;

/** Training inputs shared by the detectors of this module: checks, preprocessing, seeded subsets. */
final class Inputs {
    private Inputs() {
    }

    /** Rejects empty sets and anomalous training images. */
    static void checkNormals(ImageSet normals, String type) {
        if (normals.isEmpty()) {
            throw new InvalidImageException(type + " needs at least one normal training image");
        }
        for (LabeledImage li : normals) {
            if (li.isAnomalous()) {
                throw new InvalidImageException("training image " + li.id() + " is labelled anomalous: fit on normals");
            }
        }
    }

    /** The preprocessed images as flat float arrays ({@code C*H*W} each, values in [0, 1]). */
    static float[][] arrays(ImageSet normals, Preprocessing pre) {
        float[][] xs = new float[normals.size()][];
        IntStream.range(0, xs.length).parallel().forEach(i -> xs[i] = pre.apply(normals.get(i).image()).toArray());
        return xs;
    }

    /** At most {@code limit} of the arrays (0 = all), a seeded random subset in the original order. */
    static float[][] subset(float[][] xs, int limit, long seed) {
        if (limit <= 0 || limit >= xs.length) {
            return xs;
        }
        int[] idx = IntStream.range(0, xs.length).toArray();
        Random r = new Random(seed);
        for (int i = 0; i < limit; i++) {
            int j = i + r.nextInt(xs.length - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] chosen = java.util.Arrays.copyOf(idx, limit);
        java.util.Arrays.sort(chosen);
        float[][] out = new float[limit][];
        for (int i = 0; i < limit; i++) {
            out[i] = xs[chosen[i]];
        }
        return out;
    }

    /** Rows {@code idx} of {@code xs} as a {@code [n, C, H, W]} batch. */
    static NDArray batch(NDManager m, float[][] xs, int[] idx, Shape sample) {
        int per = Math.toIntExact(sample.size());
        float[] buf = new float[idx.length * per];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(xs[idx[i]], 0, buf, i * per, per);
        }
        return m.create(buf, new Shape(idx.length).addAll(sample));
    }

    /** Preprocessed images as a batch padded with zeros to {@code block} images. */
    static NDArray padded(NDManager m, List<AnomalyImage> inputs, int block, Shape sample) {
        int per = Math.toIntExact(sample.size());
        float[] buf = new float[block * per];
        for (int i = 0; i < inputs.size(); i++) {
            AnomalyImage a = inputs.get(i);
            if (a.size() != per) {
                throw new InvalidImageException("model input " + a + " does not match the model shape " + sample);
            }
            a.copyTo(buf, i * per);
        }
        return m.create(buf, new Shape(block).addAll(sample));
    }

    /** Values in [0, 1] to the network's input range [-1, 1]. */
    static NDArray normalize(NDArray x) {
        return x.mul(2f).sub(1f);
    }
}
