package org.anomaly4j.selfsupervised;

import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Seeded, batched image augmentations on NDArrays {@code [B, C, H, W]} (float32, values in [0, 1]).
 * Every sample of a batch gets its own parameters, drawn in Java from a seeded {@link Random} (a few
 * numbers per sample); the pixels are moved by tensor operations only: source coordinates are
 * computed on integer grids by broadcasting and read with one {@code gather}, so there is no
 * per-pixel Java loop on the training path.
 *
 * <ul>
 *   <li>{@link #geometric}: horizontal flip, integer translation (reflect or zero padding) and a
 *       rotation by a multiple of 90 degrees, composed as {@code rot90^k(translate(flip(x)))}, the
 *       order of Golan and El-Yaniv's transformations.</li>
 *   <li>{@link #resizedCrop}: a random crop of random area and aspect ratio resized back to the
 *       input size (nearest neighbour), with an optional horizontal flip (SimCLR's first step).</li>
 *   <li>{@link #colourJitter}: brightness, contrast and saturation jitter and random greyscale.</li>
 * </ul>
 */
public final class Augment {

    /** What lies outside the image when it is translated. */
    public enum Padding {
        /** Mirror at the border, edge pixel repeated ({@code d c b a | a b c d | d c b a}), as scipy's and Keras' "reflect". */
        REFLECT,
        /** Zeros. */
        ZERO;

        static Padding parse(String s, String parameter) {
            for (Padding p : values()) {
                if (p.name().equalsIgnoreCase(s.trim())) {
                    return p;
                }
            }
            throw new org.anomaly4j.api.InvalidConfigException(parameter, "must be reflect or zero, got '" + s + "'");
        }

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private Augment() {
    }

    /**
     * Applies per-sample geometric transformations: output = {@code rot90^rot(translate_{dx,dy}(flip?(x)))}
     * with {@code rot90} counter-clockwise as {@code numpy.rot90} and translation moving content right by
     * {@code dx} and down by {@code dy}. Rotations by 90 or 270 degrees need square images.
     *
     * @param x    {@code [B, C, H, W]} float32
     * @param flip per sample 0 or 1 (horizontal flip)
     * @param dx   per sample horizontal shift in pixels
     * @param dy   per sample vertical shift in pixels
     * @param rot  per sample number of quarter turns, 0..3
     */
    public static NDArray geometric(NDArray x, int[] flip, int[] dx, int[] dy, int[] rot, Padding padding) {
        Shape s = x.getShape();
        int b = Math.toIntExact(s.get(0));
        int h = Math.toIntExact(s.get(2));
        int w = Math.toIntExact(s.get(3));
        if (flip.length != b || dx.length != b || dy.length != b || rot.length != b) {
            throw new IllegalArgumentException("one set of parameters per sample of " + b + " needed");
        }
        boolean anyQuarter = false;
        for (int k : rot) {
            if (k < 0 || k > 3) {
                throw new IllegalArgumentException("rotation must be 0..3 quarter turns, got " + k);
            }
            anyQuarter |= (k & 1) == 1;
        }
        if (anyQuarter && h != w) {
            throw new IllegalArgumentException("rotations by 90 degrees need square images, got " + w + "x" + h);
        }
        NDManager m = x.getManager();
        NDArray i = m.arange(0, h, 1, DataType.INT64).reshape(1, h, 1);
        NDArray j = m.arange(0, w, 1, DataType.INT64).reshape(1, 1, w);
        NDArray k = m.create(toLong(rot), new Shape(b, 1, 1));
        // undo the rotation: k quarter turns map output (i, j) to (j, N-1-i) applied k times
        NDArray ii = i.add(j.mul(0));
        NDArray jj = j.add(i.mul(0));
        NDArray k0 = k.eq(0).toType(DataType.INT64, false);
        NDArray k1 = k.eq(1).toType(DataType.INT64, false);
        NDArray k2 = k.eq(2).toType(DataType.INT64, false);
        NDArray k3 = k.eq(3).toType(DataType.INT64, false);
        NDArray r = k0.mul(ii).add(k1.mul(jj)).add(k2.mul(ii.neg().add(h - 1))).add(k3.mul(jj.neg().add(w - 1)));
        NDArray c = k0.mul(jj).add(k1.mul(ii.neg().add(h - 1))).add(k2.mul(jj.neg().add(w - 1))).add(k3.mul(ii));
        // undo the translation
        r = r.sub(m.create(toLong(dy), new Shape(b, 1, 1)));
        c = c.sub(m.create(toLong(dx), new Shape(b, 1, 1)));
        // undo the flip (applied first): column c of the flipped image is column W-1-c of x; both paddings are
        // symmetric under this mirror, so it can be applied before padding
        NDArray flipped = m.create(toLong(flip), new Shape(b, 1, 1));
        c = c.add(flipped.mul(c.mul(-2).add(w - 1)));
        return sample(x, r, c, padding);
    }

    /** Mirrors the samples whose flag is 1 horizontally (a blend by mask, no branch per sample). */
    private static NDArray flipSamples(NDArray x, NDArray flags) {
        NDArray f = flags.toType(DataType.FLOAT32, false).reshape(-1, 1, 1, 1);
        return x.flip(3).mul(f).add(x.mul(f.neg().add(1)));
    }

    /**
     * Random resized crops (nearest neighbour), SimCLR-style: per sample, an area fraction in
     * {@code [minScale, 1]} and an aspect ratio in [3/4, 4/3] (log-uniform), a random position, and a
     * horizontal flip with probability {@code flipProbability}.
     */
    public static NDArray resizedCrop(NDArray x, double minScale, double flipProbability, Random random) {
        Shape s = x.getShape();
        int b = Math.toIntExact(s.get(0));
        int h = Math.toIntExact(s.get(2));
        int w = Math.toIntExact(s.get(3));
        float[] sy = new float[b];
        float[] sx = new float[b];
        float[] oy = new float[b];
        float[] ox = new float[b];
        long[] flip = new long[b];
        for (int n = 0; n < b; n++) {
            double area = minScale + (1 - minScale) * random.nextDouble();
            double logRatio = Math.log(3.0 / 4) + (Math.log(4.0 / 3) - Math.log(3.0 / 4)) * random.nextDouble();
            double ratio = Math.exp(logRatio);
            double cw = Math.min(1, Math.sqrt(area * ratio));
            double ch = Math.min(1, Math.sqrt(area / ratio));
            sx[n] = (float) cw;
            sy[n] = (float) ch;
            ox[n] = (float) ((1 - cw) * w * random.nextDouble());
            oy[n] = (float) ((1 - ch) * h * random.nextDouble());
            flip[n] = random.nextDouble() < flipProbability ? 1 : 0;
        }
        NDManager m = x.getManager();
        NDArray i = m.arange(0, h, 1, DataType.FLOAT32).add(0.5f).reshape(1, h, 1);
        NDArray j = m.arange(0, w, 1, DataType.FLOAT32).add(0.5f).reshape(1, 1, w);
        NDArray r = i.mul(m.create(sy, new Shape(b, 1, 1))).add(m.create(oy, new Shape(b, 1, 1))).floor()
                .toType(DataType.INT64, false).add(j.mul(0).toType(DataType.INT64, false));
        NDArray c = j.mul(m.create(sx, new Shape(b, 1, 1))).add(m.create(ox, new Shape(b, 1, 1))).floor()
                .toType(DataType.INT64, false).add(i.mul(0).toType(DataType.INT64, false));
        NDArray out = sample(x, r.clip(0, h - 1), c.clip(0, w - 1), Padding.ZERO);
        return flipSamples(out, m.create(flip, new Shape(b, 1, 1)));
    }

    /**
     * Colour jitter applied to each sample with probability {@code probability}: brightness factor in
     * {@code [1-strength, 1+strength]}, contrast factor likewise (around the image mean), saturation
     * likewise (three channels only); then greyscale with probability {@code greyProbability} (three
     * channels). Values are clipped to [0, 1].
     */
    public static NDArray colourJitter(NDArray x, double strength, double probability, double greyProbability,
            Random random) {
        Shape s = x.getShape();
        int b = Math.toIntExact(s.get(0));
        int ch = Math.toIntExact(s.get(1));
        float[] bright = new float[b];
        float[] contrast = new float[b];
        float[] sat = new float[b];
        float[] grey = new float[b];
        for (int n = 0; n < b; n++) {
            boolean on = random.nextDouble() < probability;
            bright[n] = on ? (float) (1 + strength * (2 * random.nextDouble() - 1)) : 1f;
            contrast[n] = on ? (float) (1 + strength * (2 * random.nextDouble() - 1)) : 1f;
            sat[n] = on ? (float) (1 + strength * (2 * random.nextDouble() - 1)) : 1f;
            grey[n] = random.nextDouble() < greyProbability ? 1f : 0f;
        }
        NDManager m = x.getManager();
        Shape per = new Shape(b, 1, 1, 1);
        NDArray y = x.mul(m.create(bright, per));
        NDArray mean = y.reshape(b, -1).mean(new int[] {1}, true).reshape(b, 1, 1, 1);
        y = y.sub(mean).mul(m.create(contrast, per)).add(mean);
        if (ch == 3) {
            NDArray g = luma(y);
            y = y.sub(g).mul(m.create(sat, per)).add(g);
            NDArray gm = m.create(grey, per);
            y = luma(y).broadcast(y.getShape()).mul(gm).add(y.mul(gm.neg().add(1)));
        }
        return y.clip(0f, 1f);
    }

    private static NDArray luma(NDArray rgb) {
        NDArray wts = rgb.getManager().create(new float[] {0.299f, 0.587f, 0.114f}, new Shape(1, 3, 1, 1));
        return rgb.mul(wts).sum(new int[] {1}, true);
    }

    /**
     * Reads {@code x[b, c, r[b, i, j], col[b, i, j]]} for every output pixel; coordinates outside the
     * image are reflected or read as zero.
     */
    static NDArray sample(NDArray x, NDArray rows, NDArray cols, Padding padding) {
        Shape s = x.getShape();
        long b = s.get(0);
        long ch = s.get(1);
        int h = Math.toIntExact(s.get(2));
        int w = Math.toIntExact(s.get(3));
        NDArray r;
        NDArray c;
        NDArray valid = null;
        if (padding == Padding.REFLECT) {
            r = reflect(rows, h);
            c = reflect(cols, w);
        } else {
            valid = rows.gte(0).logicalAnd(rows.lt(h)).logicalAnd(cols.gte(0)).logicalAnd(cols.lt(w))
                    .toType(DataType.FLOAT32, false).reshape(b, 1, h, w);
            r = rows.clip(0, h - 1);
            c = cols.clip(0, w - 1);
        }
        NDArray index = r.mul(w).add(c).reshape(b, 1, (long) h * w).repeat(1, ch);
        NDArray out = x.reshape(b, ch, (long) h * w).gather(index, 2).reshape(b, ch, h, w);
        return valid == null ? out : out.mul(valid);
    }

    /** Half-sample symmetric reflection of integer coordinates into [0, n). */
    private static NDArray reflect(NDArray idx, int n) {
        long period = 2L * n;
        NDArray m = idx.add(period * 64).mod(period);
        NDArray upper = m.gte(n).toType(DataType.INT64, false);
        // m >= n: 2n - 1 - m
        return m.add(upper.mul(m.mul(-2).add(period - 1)));
    }

    private static long[] toLong(int[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
