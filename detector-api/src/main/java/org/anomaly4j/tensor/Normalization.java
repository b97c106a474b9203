package org.anomaly4j.tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.Params;

/**
 * Per-channel input normalisation a backbone expects: {@code (x - mean[c]) / std[c]} on values in
 * [0, 1]. ImageNet's statistics by default.
 *
 * @param mean per-channel mean
 * @param std  per-channel standard deviation (positive)
 */
public record Normalization(float[] mean, float[] std) {
    private static final Normalization IMAGENET =
            new Normalization(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

    public Normalization {
        Params.require(mean != null && std != null && mean.length == std.length && mean.length > 0, "normalization",
                "mean and std need the same positive length");
        for (float s : std) {
            Params.require(s > 0 && Float.isFinite(s), "normalization", "std must be positive, got " + Arrays.toString(std));
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** ImageNet's mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225). */
    public static Normalization imagenet() {
        return IMAGENET;
    }

    /** No change: mean 0, std 1 on {@code channels} channels. */
    public static Normalization identity(int channels) {
        float[] ones = new float[channels];
        Arrays.fill(ones, 1f);
        return new Normalization(new float[channels], ones);
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /** Number of channels. */
    public int channels() {
        return mean.length;
    }

    /** Normalises an {@code [N, C, H, W]} (or {@code [C, H, W]}) float32 array; the result is new, in its manager. */
    public NDArray apply(NDArray x) {
        long[] s = x.getShape().getShape();
        int c = (int) s[s.length - 3];
        if (c != channels()) {
            throw new IllegalArgumentException("normalization has " + channels() + " channels, the array " + x.getShape());
        }
        NDManager m = x.getManager();
        Shape bs = new Shape(c, 1, 1);
        try (NDArray mu = m.create(mean, bs); NDArray sd = m.create(std, bs)) {
            return x.sub(mu).divi(sd);
        }
    }

    /** Same-sized images (values in [0, 1]) as one normalised float32 {@code [N, C, H, W]} batch in {@code m}. */
    public NDArray batch(NDManager m, List<AnomalyImage> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("empty batch");
        }
        AnomalyImage f = images.get(0);
        if (f.channels() != channels()) {
            throw new IllegalArgumentException("normalization has " + channels() + " channels, the image " + f);
        }
        int plane = f.width() * f.height();
        int per = f.size();
        float[] buf = new float[per * images.size()];
        for (int i = 0; i < images.size(); i++) {
            AnomalyImage a = images.get(i);
            if (a.width() != f.width() || a.height() != f.height() || a.channels() != f.channels()) {
                throw new IllegalArgumentException("batch mixes " + f + " and " + a);
            }
            a.copyTo(buf, i * per);
            for (int c = 0; c < mean.length; c++) {
                float mu = mean[c];
                float sd = std[c];
                int from = i * per + c * plane;
                for (int k = from; k < from + plane; k++) {
                    buf[k] = (buf[k] - mu) / sd;
                }
            }
        }
        return m.create(buf, new Shape(images.size(), f.channels(), f.height(), f.width()));
    }

    /** The fields as a JSON-ready map. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", mean());
        m.put("std", std());
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(n.mean, mean) && Arrays.equals(n.std, std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
