package org.anomaly4j.api;

import java.util.Arrays;

/** An immutable binary ground-truth mask: {@code true} marks an anomalous pixel. */
public final class Mask {
    private final int width;
    private final int height;
    private final boolean[] bits; // row-major

    private Mask(int width, int height, boolean[] bits) {
        this.width = width;
        this.height = height;
        this.bits = bits;
    }

    /** A mask from row-major booleans, copied. */
    public static Mask of(int width, int height, boolean[] rowMajor) {
        if (width <= 0 || height <= 0 || rowMajor == null || rowMajor.length != width * height) {
            throw new InvalidImageException("mask of " + width + "x" + height + " needs " + width * height
                    + " values, got " + (rowMajor == null ? "null" : rowMajor.length));
        }
        return new Mask(width, height, rowMajor.clone());
    }

    /** A mask with no anomalous pixel. */
    public static Mask empty(int width, int height) {
        return of(width, height, new boolean[width * height]);
    }

    /** Pixels whose grey value exceeds {@code threshold} (in [0,1]) are anomalous. */
    public static Mask fromImage(AnomalyImage image, float threshold) {
        AnomalyImage g = image.toGrey();
        boolean[] b = new boolean[g.width() * g.height()];
        for (int y = 0; y < g.height(); y++) {
            for (int x = 0; x < g.width(); x++) {
                b[y * g.width() + x] = g.get(0, y, x) > threshold;
            }
        }
        return new Mask(g.width(), g.height(), b);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public boolean get(int x, int y) {
        return bits[y * width + x];
    }

    /** A copy of the row-major bits. */
    public boolean[] toArray() {
        return bits.clone();
    }

    /** Number of anomalous pixels. */
    public int count() {
        int n = 0;
        for (boolean b : bits) {
            if (b) {
                n++;
            }
        }
        return n;
    }

    public boolean isEmpty() {
        return count() == 0;
    }

    /** Nearest-neighbour resize (as PIL's NEAREST): masks stay binary. */
    public Mask resize(int newWidth, int newHeight) {
        if (newWidth == width && newHeight == height) {
            return this;
        }
        int[] sx = nearestSources(width, newWidth);
        int[] sy = nearestSources(height, newHeight);
        boolean[] out = new boolean[newWidth * newHeight];
        for (int y = 0; y < newHeight; y++) {
            for (int x = 0; x < newWidth; x++) {
                out[y * newWidth + x] = bits[sy[y] * width + sx[x]];
            }
        }
        return new Mask(newWidth, newHeight, out);
    }

    /**
     * Source index of every output index for a nearest-neighbour resize, as Pillow's
     * {@code ImagingScaleAffine} computes it: the coordinate starts at half a step and grows by the
     * step {@code in / out} additively, and is truncated. (The closed form {@code floor((i + 0.5) in / out)}
     * differs from it at some exact boundaries.)
     */
    static int[] nearestSources(int in, int out) {
        double step = (double) in / out;
        int[] src = new int[out];
        double pos = step * 0.5;
        for (int i = 0; i < out; i++) {
            src[i] = Math.max(0, Math.min(in - 1, (int) pos));
            pos += step;
        }
        return src;
    }

    /** Centre crop with the same offsets as {@link AnomalyImage#centerCrop}. */
    public Mask centerCrop(int cropWidth, int cropHeight) {
        int left = (int) Math.round((width - cropWidth) / 2.0);
        int top = (int) Math.round((height - cropHeight) / 2.0);
        boolean[] out = new boolean[cropWidth * cropHeight];
        for (int y = 0; y < cropHeight; y++) {
            System.arraycopy(bits, (top + y) * width + left, out, y * cropWidth, cropWidth);
        }
        return new Mask(cropWidth, cropHeight, out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mask m && m.width == width && m.height == height && Arrays.equals(m.bits, bits);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(bits);
    }

    @Override
    public String toString() {
        return "Mask[" + width + "x" + height + ", " + count() + " anomalous]";
    }
}
