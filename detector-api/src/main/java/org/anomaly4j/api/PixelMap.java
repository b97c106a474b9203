package org.anomaly4j.api;

import java.util.Arrays;

/**
 * An immutable anomaly map: one float per pixel, row-major, higher = more anomalous, at the
 * resolution of the image that was scored.
 */
public final class PixelMap {
    private final int width;
    private final int height;
    private final float[] values;

    private PixelMap(int width, int height, float[] values) {
        this.width = width;
        this.height = height;
        this.values = values;
    }

    /** A map from row-major values, copied; rejects non-finite values. */
    public static PixelMap of(int width, int height, float[] rowMajor) {
        if (width <= 0 || height <= 0 || rowMajor == null || rowMajor.length != width * height) {
            throw new InvalidImageException("map of " + width + "x" + height + " needs " + width * height
                    + " values, got " + (rowMajor == null ? "null" : rowMajor.length));
        }
        for (float v : rowMajor) {
            if (!Float.isFinite(v)) {
                throw new InvalidImageException("anomaly map holds a non-finite value: " + v);
            }
        }
        return new PixelMap(width, height, rowMajor.clone());
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public float get(int x, int y) {
        return values[y * width + x];
    }

    /** A copy of the row-major values. */
    public float[] toArray() {
        return values.clone();
    }

    public float max() {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    public float min() {
        float m = Float.POSITIVE_INFINITY;
        for (float v : values) {
            m = Math.min(m, v);
        }
        return m;
    }

    /** The {@code q}-quantile (0..1) of the values, linear interpolation between order statistics. */
    public double quantile(double q) {
        float[] s = values.clone();
        Arrays.sort(s);
        return Stats.sortedQuantile(s, q);
    }

    /** Bilinear resize (antialiased when shrinking). */
    public PixelMap resize(int newWidth, int newHeight) {
        if (newWidth == width && newHeight == height) {
            return this;
        }
        return new PixelMap(newWidth, newHeight,
                Resampling.resizePlanes(values, 1, width, height, newWidth, newHeight));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PixelMap m && m.width == width && m.height == height && Arrays.equals(m.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "PixelMap[" + width + "x" + height + "]";
    }
}
