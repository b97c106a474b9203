package org.anomaly4j.api;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Separable antialiased bilinear resampling of planar float data (PIL's BILINEAR convention:
 * pixel centres at +0.5, triangle filter whose support grows with the downscale factor).
 *
 * <p>Two arithmetics share one set of filter weights, computed as Pillow's {@code precompute_coeffs}
 * computes them:
 * <ul>
 * <li>{@link #resizePlanes}: floating point, for any data;</li>
 * <li>{@link #resizePlanes8}: Pillow's 8-bit path bit for bit ({@code ImagingResample} on an 8-bit
 * image: weights in 22-bit fixed point, a horizontal pass rounded and clipped to 8 bits, then a
 * vertical pass likewise; a pass runs only when that side changes). Images decoded from 8-bit files
 * resize this way, so a model sees the same pixels as a Python pipeline that resizes with PIL
 * (torchvision's {@code Resize} on PIL images included). The float path differs from it by up to one
 * grey level on a sizeable fraction of pixels.</li>
 * </ul>
 */
public final class Resampling {
    /** Pillow's {@code PRECISION_BITS} for 8-bit resampling. */
    private static final int PRECISION_BITS = 32 - 8 - 2;

    private Resampling() {
    }

    /**
     * Whether every value lies on the 8-bit grid {@code k / 255}, {@code k} in 0..255 (what an 8-bit
     * decode gives): such data can take {@link #resizePlanes8}.
     */
    public static boolean onByteGrid(float[] values) {
        for (float v : values) {
            if (!(v >= 0f && v <= 1f) || (float) Math.round(v * 255f) / 255f != v) {
                return false;
            }
        }
        return true;
    }

    /**
     * Resizes planes of 8-bit values given as {@code k / 255} floats exactly as Pillow resizes an
     * 8-bit image with {@code Image.BILINEAR}; the result is again on the {@code k / 255} grid.
     *
     * @throws IllegalArgumentException when a value is not on that grid (see {@link #onByteGrid})
     */
    public static float[] resizePlanes8(float[] src, int planes, int w, int h, int nw, int nh) {
        int[] in = new int[src.length];
        for (int i = 0; i < src.length; i++) {
            int k = Math.round(src[i] * 255f);
            if (!(src[i] >= 0f && src[i] <= 1f) || (float) k / 255f != src[i]) {
                throw new IllegalArgumentException("value " + src[i] + " at " + i + " is not an 8-bit level k/255");
            }
            in[i] = k;
        }
        Weights wx = weights(w, nw);
        Weights wy = weights(h, nh);
        float[] out = new float[planes * nw * nh];
        int[] tmp = new int[h * nw];
        for (int p = 0; p < planes; p++) {
            int base = p * w * h;
            // horizontal pass (Pillow skips it when the width is unchanged)
            if (nw != w) {
                for (int y = 0; y < h; y++) {
                    int row = base + y * w;
                    for (int x = 0; x < nw; x++) {
                        int off = wx.start[x];
                        int[] k = wx.fixed[x];
                        int acc = 1 << (PRECISION_BITS - 1);
                        for (int i = 0; i < k.length; i++) {
                            acc += in[row + off + i] * k[i];
                        }
                        tmp[y * nw + x] = clip8(acc);
                    }
                }
            } else {
                System.arraycopy(in, base, tmp, 0, w * h);
            }
            int obase = p * nw * nh;
            for (int y = 0; y < nh; y++) {
                for (int x = 0; x < nw; x++) {
                    int v;
                    if (nh != h) {
                        int off = wy.start[y];
                        int[] k = wy.fixed[y];
                        int acc = 1 << (PRECISION_BITS - 1);
                        for (int i = 0; i < k.length; i++) {
                            acc += tmp[(off + i) * nw + x] * k[i];
                        }
                        v = clip8(acc);
                    } else {
                        v = tmp[y * nw + x];
                    }
                    out[obase + y * nw + x] = v / 255f;
                }
            }
        }
        return out;
    }

    /** Pillow's {@code clip8}: the fixed-point sum to 0..255. */
    private static int clip8(int acc) {
        if (acc >= (1 << PRECISION_BITS << 8)) {
            return 255;
        }
        if (acc <= 0) {
            return 0;
        }
        return acc >> PRECISION_BITS;
    }

    /** Resizes {@code planes} planes of {@code w x h} floats to {@code nw x nh}. */
    public static float[] resizePlanes(float[] src, int planes, int w, int h, int nw, int nh) {
        Weights wx = weights(w, nw);
        Weights wy = weights(h, nh);
        float[] tmp = new float[h * nw];
        float[] out = new float[planes * nw * nh];
        for (int p = 0; p < planes; p++) {
            int base = p * w * h;
            for (int y = 0; y < h; y++) {
                int row = base + y * w;
                for (int x = 0; x < nw; x++) {
                    double acc = 0;
                    int off = wx.start[x];
                    double[] k = wx.k[x];
                    for (int i = 0; i < k.length; i++) {
                        acc += k[i] * src[row + off + i];
                    }
                    tmp[y * nw + x] = (float) acc;
                }
            }
            int obase = p * nw * nh;
            for (int y = 0; y < nh; y++) {
                int off = wy.start[y];
                double[] k = wy.k[y];
                for (int x = 0; x < nw; x++) {
                    double acc = 0;
                    for (int i = 0; i < k.length; i++) {
                        acc += k[i] * tmp[(off + i) * nw + x];
                    }
                    out[obase + y * nw + x] = (float) acc;
                }
            }
        }
        return out;
    }

    /** Per output index: first input index, weights, and the weights in Pillow's 22-bit fixed point. */
    private record Weights(int[] start, double[][] k, int[][] fixed) {
    }

    /** Filter weights per (input size, output size), computed once: resizing many images of one size is then just the two passes. */
    private static final ConcurrentHashMap<Long, Weights> CACHE = new ConcurrentHashMap<>();

    private static Weights weights(int in, int out) {
        long key = (long) in << 32 | out;
        Weights cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        Weights w = computeWeights(in, out);
        if (CACHE.size() < 4096) {
            CACHE.putIfAbsent(key, w);
        }
        return w;
    }

    /** Pillow's {@code precompute_coeffs} for the bilinear filter (support 1), then its {@code normalize_coeffs_8bpc}. */
    private static Weights computeWeights(int in, int out) {
        double scale = (double) ((float) in - 0f) / out;
        double filterscale = Math.max(scale, 1.0);
        double support = filterscale;
        double ss = 1.0 / filterscale;
        int[] start = new int[out];
        double[][] k = new double[out][];
        int[][] fixed = new int[out][];
        for (int o = 0; o < out; o++) {
            double centre = 0f + (o + 0.5) * scale;
            int lo = Math.max(0, (int) (centre - support + 0.5));
            int hi = Math.min(in, (int) (centre + support + 0.5));
            if (hi <= lo) {
                hi = Math.min(in, lo + 1);
                lo = hi - 1;
            }
            double[] ws = new double[hi - lo];
            double sum = 0;
            for (int i = 0; i < ws.length; i++) {
                double t = Math.abs((i + lo - centre + 0.5) * ss);
                double v = t < 1 ? 1 - t : 0;
                ws[i] = v;
                sum += v;
            }
            if (sum <= 0) {
                java.util.Arrays.fill(ws, 1.0 / ws.length);
            } else {
                for (int i = 0; i < ws.length; i++) {
                    ws[i] /= sum;
                }
            }
            int[] f = new int[ws.length];
            for (int i = 0; i < ws.length; i++) {
                f[i] = ws[i] < 0 ? (int) (-0.5 + ws[i] * (1 << PRECISION_BITS))
                        : (int) (0.5 + ws[i] * (1 << PRECISION_BITS));
            }
            start[o] = lo;
            k[o] = ws;
            fixed[o] = f;
        }
        return new Weights(start, k, fixed);
    }
}
