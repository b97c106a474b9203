package org.anomaly4j.pixel;

import java.util.List;
import java.util.Locale;

import ai.djl.ndarray.NDArray;

import org.anomaly4j.api.InvalidConfigException;

/**
 * Shared map post-processing of the trained pixel detectors: combining per-scale anomaly maps
 * (product as STFPM and Patch SVDD do, sum, or mean), spreading patch scores over the pixels the
 * patches cover, and the image score of a map.
 */
public final class ScaleMaps {
    private ScaleMaps() {
    }

    /** How maps of several scales (all at the same resolution) become one. */
    public enum Combine {
        /** Element-wise product (STFPM, Patch SVDD): a defect must show at every scale. */
        PRODUCT,
        /** Element-wise sum. */
        SUM,
        /** Element-wise mean. */
        MEAN;

        /** The lower-case name used in parameters. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses {@code product}, {@code sum} or {@code mean}. */
        public static Combine parse(String parameter, String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException(parameter, "must be product, sum or mean, got '" + s + "'");
            }
        }
    }

    /** Combines same-shaped maps; the result is new, in the first map's manager. */
    public static NDArray combine(List<NDArray> maps, Combine how) {
        if (maps.isEmpty()) {
            throw new IllegalArgumentException("no maps to combine");
        }
        NDArray out = maps.get(0).duplicate();
        for (int i = 1; i < maps.size(); i++) {
            if (how == Combine.PRODUCT) {
                out.muli(maps.get(i));
            } else {
                out.addi(maps.get(i));
            }
        }
        if (how == Combine.MEAN) {
            out.divi(maps.size());
        }
        return out;
    }

    /** Combines same-sized row-major float maps. */
    public static float[] combine(float[][] maps, Combine how) {
        float[] out = maps[0].clone();
        for (int i = 1; i < maps.length; i++) {
            for (int j = 0; j < out.length; j++) {
                out[j] = how == Combine.PRODUCT ? out[j] * maps[i][j] : out[j] + maps[i][j];
            }
        }
        if (how == Combine.MEAN) {
            for (int j = 0; j < out.length; j++) {
                out[j] /= maps.length;
            }
        }
        return out;
    }

    /**
     * Spreads patch scores over pixels: patch {@code (i, j)} of a {@code gh x gw} grid covers the
     * {@code patch x patch} square at {@code (j * stride, i * stride)}; every pixel gets the mean
     * score of the patches covering it (pixels no patch covers get the nearest covered value along
     * the border, as patches are clamped into the image).
     *
     * @return a row-major {@code width x height} map
     */
    public static float[] spreadPatches(float[] scores, int gh, int gw, int stride, int patch, int width, int height) {
        if (scores.length != gh * gw) {
            throw new IllegalArgumentException(scores.length + " scores for a " + gh + "x" + gw + " grid");
        }
        // separable box sums with a summed-area table over the patch-origin grid
        double[] sum = new double[width * height];
        int[] count = new int[width * height];
        // column ranges covered by each patch column j: [x0, x0 + patch), clamped
        for (int i = 0; i < gh; i++) {
            int y0 = Math.min(i * stride, Math.max(0, height - patch));
            int y1 = Math.min(height, y0 + patch);
            for (int j = 0; j < gw; j++) {
                int x0 = Math.min(j * stride, Math.max(0, width - patch));
                int x1 = Math.min(width, x0 + patch);
                double s = scores[i * gw + j];
                // difference-array corners
                add(sum, count, width, height, x0, y0, s, 1);
                add(sum, count, width, height, x1, y0, -s, -1);
                add(sum, count, width, height, x0, y1, -s, -1);
                add(sum, count, width, height, x1, y1, s, 1);
            }
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int k = y * width + x;
                if (x > 0) {
                    sum[k] += sum[k - 1];
                    count[k] += count[k - 1];
                }
            }
        }
        for (int y = 1; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int k = y * width + x;
                sum[k] += sum[k - width];
                count[k] += count[k - width];
            }
        }
        float[] out = new float[width * height];
        float fallback = min(scores);
        for (int k = 0; k < out.length; k++) {
            out[k] = count[k] > 0 ? (float) (sum[k] / count[k]) : fallback;
        }
        return out;
    }

    private static void add(double[] sum, int[] count, int w, int h, int x, int y, double s, int c) {
        if (x < w && y < h) {
            sum[y * w + x] += s;
            count[y * w + x] += c;
        }
    }

    private static float min(float[] v) {
        float m = Float.POSITIVE_INFINITY;
        for (float x : v) {
            m = Math.min(m, x);
        }
        return m;
    }

    /** The image score of a map: its maximum. */
    public static double max(float[] map) {
        double m = Double.NEGATIVE_INFINITY;
        for (float v : map) {
            m = Math.max(m, v);
        }
        return m;
    }
}
