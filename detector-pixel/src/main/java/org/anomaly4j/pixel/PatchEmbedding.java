package org.anomaly4j.pixel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;

import org.anomaly4j.api.InvalidConfigException;
import org.anomaly4j.tensor.FeatureLevel;
import org.anomaly4j.tensor.MapOps;

/**
 * Multi-level patch features from a backbone's maps: the chosen levels, each optionally smoothed by a
 * {@code k x k} average pool (stride 1, zero padding counted, as {@code torch.nn.AvgPool2d(k, 1, k/2)}:
 * PatchCore's "locally aware" patch features), resized to the grid of one level (bilinear with
 * {@code align_corners=False}, or nearest as PaDiM's {@code embedding_concat}) and concatenated along the
 * channels: {@code [N, sum(channels), h, w]}.
 *
 * <p>Levels are named by their stride (4, 8, 16, 32 on the built-in backbones), so a parameter such as
 * {@code layers=8,16} means the same on every backbone. Immutable and thread-safe.
 */
public final class PatchEmbedding {
    /** How a level is brought to the grid. */
    public enum Resize {
        /** {@code F.interpolate(mode="bilinear", align_corners=False)} (PatchCore, anomalib). */
        BILINEAR,
        /** {@code F.interpolate(mode="nearest")} (PaDiM's {@code embedding_concat}, anomalib). */
        NEAREST
    }

    private final int[] levels;
    private final int gridLevel;
    private final int pool;
    private final Resize resize;
    private final int dimension;
    private final List<FeatureLevel> all;

    private PatchEmbedding(List<FeatureLevel> all, int[] levels, int gridLevel, int pool, Resize resize) {
        this.all = List.copyOf(all);
        this.levels = levels;
        this.gridLevel = gridLevel;
        this.pool = pool;
        this.resize = resize;
        int d = 0;
        for (int l : levels) {
            d += all.get(l).channels();
        }
        this.dimension = d;
    }

    /**
     * The embedding of the levels with the given strides.
     *
     * @param available  the backbone's levels
     * @param strides    strides of the chosen levels (distinct)
     * @param gridStride stride of the level whose grid the maps are resized to; 0 = the finest chosen level
     * @param pool       average-pool kernel (odd, 1 = none)
     * @param resize     interpolation to the grid
     * @throws InvalidConfigException (parameter {@code layers} / {@code grid}) when a stride is not offered
     */
    public static PatchEmbedding of(List<FeatureLevel> available, int[] strides, int gridStride, int pool,
            Resize resize) {
        if (strides.length == 0) {
            throw new InvalidConfigException("layers", "choose at least one level");
        }
        if (pool < 1 || pool % 2 == 0) {
            throw new InvalidConfigException("pool", "must be odd and >= 1, got " + pool);
        }
        int[] idx = new int[strides.length];
        int finest = Integer.MAX_VALUE;
        for (int i = 0; i < strides.length; i++) {
            idx[i] = indexOf(available, strides[i], "layers");
            finest = Math.min(finest, strides[i]);
        }
        int g = indexOf(available, gridStride == 0 ? finest : gridStride, "grid");
        return new PatchEmbedding(available, idx, g, pool, resize);
    }

    private static int indexOf(List<FeatureLevel> available, int stride, String param) {
        for (int i = 0; i < available.size(); i++) {
            if (available.get(i).stride() == stride) {
                return i;
            }
        }
        throw new InvalidConfigException(param, "the backbone has no level of stride " + stride + "; it offers "
                + available.stream().map(l -> Integer.toString(l.stride())).toList());
    }

    /**
     * Parses a list of strides such as {@code "8,16"} (also {@code "s8+s16"}).
     *
     * @throws InvalidConfigException naming {@code param} when malformed, empty or repeated
     */
    public static int[] parseStrides(String text, String param) {
        if (text == null || text.isBlank()) {
            throw new InvalidConfigException(param, "empty list of level strides (e.g. 8,16)");
        }
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("[,+ ]+");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].startsWith("s") ? parts[i].substring(1) : parts[i];
            try {
                out[i] = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new InvalidConfigException(param, "not a stride list (e.g. 8,16): '" + text + "'");
            }
            if (out[i] < 1) {
                throw new InvalidConfigException(param, "strides must be positive, got " + out[i]);
            }
        }
        if (Arrays.stream(out).distinct().count() != out.length) {
            throw new InvalidConfigException(param, "repeated stride in '" + text + "'");
        }
        return out;
    }

    /** Canonical text of a stride list ({@code "8,16"}). */
    public static String formatStrides(int[] strides) {
        StringBuilder b = new StringBuilder();
        for (int s : strides) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(s);
        }
        return b.toString();
    }

    /** Channels of the embedding. */
    public int dimension() {
        return dimension;
    }

    /** Stride of the grid. */
    public int gridStride() {
        return all.get(gridLevel).stride();
    }

    /**
     * The embedding of a batch's backbone maps (as {@link org.anomaly4j.tensor.Backbone#features} returns
     * them), {@code [N, dimension, h, w]} float32 on the grid level's {@code h x w}, in the maps' manager.
     */
    public NDArray embed(NDList maps) {
        NDArray grid = maps.get(gridLevel);
        NDManager owner = grid.getManager();
        int h = (int) grid.getShape().get(2);
        int w = (int) grid.getShape().get(3);
        try (NDManager tmp = owner.newSubManager()) {
            NDList parts = new NDList();
            for (int l : levels) {
                NDArray x = maps.get(l);
                x.tempAttach(tmp);
                x = x.toType(DataType.FLOAT32, false);
                if (pool > 1) {
                    x = Pool.avgPool2d(x, new Shape(pool, pool), new Shape(1, 1), new Shape(pool / 2, pool / 2),
                            false, true);
                }
                int xh = (int) x.getShape().get(2);
                int xw = (int) x.getShape().get(3);
                if (xh != h || xw != w) {
                    if (resize == Resize.NEAREST) {
                        x = nearest(tmp, x, h, w);
                    } else if (h >= xh && w >= xw) {
                        x = MapOps.upsampleBilinear(x, h, w);
                    } else {
                        x = bilinear(tmp, x, h, w); // the engine's resize antialiases when shrinking; torch's does not
                    }
                }
                parts.add(x);
            }
            NDArray out = parts.size() == 1 ? parts.get(0).duplicate() : NDArrays.concat(parts, 1);
            out.attach(owner);
            return out;
        }
    }

    /**
     * {@code F.interpolate(mode="bilinear", align_corners=False, antialias=False)}, separably: output
     * {@code i} samples the source at {@code max(0, (i + 0.5) * in / out - 0.5)}. (Shrinking by 2 is then
     * the mean of 2x2 blocks, as the reference's stride-4 level on the stride-8 grid.)
     */
    static NDArray bilinear(NDManager m, NDArray x, int h, int w) {
        NDArray r = axis(m, x, 2, h);
        return axis(m, r, 3, w);
    }

    private static NDArray axis(NDManager m, NDArray x, int axis, int out) {
        int in = (int) x.getShape().get(axis);
        if (in == out) {
            return x;
        }
        long[] i0 = new long[out];
        long[] i1 = new long[out];
        float[] l1 = new float[out];
        float scale = (float) in / out;
        for (int i = 0; i < out; i++) {
            float src = Math.max(0f, (i + 0.5f) * scale - 0.5f);
            int a = (int) src;
            i0[i] = a;
            i1[i] = a < in - 1 ? a + 1 : a;
            l1[i] = src - a;
        }
        float[] l0 = new float[out];
        for (int i = 0; i < out; i++) {
            l0[i] = 1f - l1[i];
        }
        String pat = axis == 2 ? ":, :, {}, :" : ":, :, :, {}";
        Shape ws = axis == 2 ? new Shape(1, 1, out, 1) : new Shape(1, 1, 1, out);
        NDArray a = x.get(new NDIndex(pat, m.create(i0))).mul(m.create(l0, ws));
        NDArray b = x.get(new NDIndex(pat, m.create(i1))).mul(m.create(l1, ws));
        return a.add(b);
    }

    /** {@code F.interpolate(mode="nearest")}: source index {@code floor(i * in / out)}. */
    static NDArray nearest(NDManager m, NDArray x, int h, int w) {
        int xh = (int) x.getShape().get(2);
        int xw = (int) x.getShape().get(3);
        NDArray r = x;
        if (xh != h) {
            r = r.get(new NDIndex(":, :, {}, :", m.create(nearestIndex(xh, h))));
        }
        if (xw != w) {
            r = r.get(new NDIndex(":, :, :, {}", m.create(nearestIndex(xw, w))));
        }
        return r;
    }

    static long[] nearestIndex(int in, int out) {
        long[] idx = new long[out];
        float scale = (float) in / out;
        for (int i = 0; i < out; i++) {
            idx[i] = Math.min(in - 1, (long) Math.floor(i * scale));
        }
        return idx;
    }

    /** The chosen levels, for provenance notes. */
    public List<FeatureLevel> chosenLevels() {
        List<FeatureLevel> out = new ArrayList<>();
        for (int l : levels) {
            out.add(all.get(l));
        }
        return out;
    }
}
