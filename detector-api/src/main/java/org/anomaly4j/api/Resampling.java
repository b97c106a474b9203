package org.anomaly4j.api;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Separable antialiased bilinear resampling of planar float data (PIL's BILINEAR convention:
 * pixel centres at +0.5, triangle filter whose support grows with the downscale factor).
 */
public final class Resampling {
    private Resampling() {
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

    private record Weights(int[] start, double[][] k) {
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

    private static Weights computeWeights(int in, int out) {
        double scale = (double) in / out;
        double support = Math.max(scale, 1.0);
        int[] start = new int[out];
        double[][] k = new double[out][];
        for (int o = 0; o < out; o++) {
            double centre = (o + 0.5) * scale;
            int lo = (int) Math.max(0, Math.floor(centre - support + 0.5));
            int hi = (int) Math.min(in, Math.floor(centre + support + 0.5));
            if (hi <= lo) {
                hi = Math.min(in, lo + 1);
                lo = hi - 1;
            }
            double[] ws = new double[hi - lo];
            double sum = 0;
            for (int i = lo; i < hi; i++) {
                double t = Math.abs((i + 0.5 - centre) / support);
                double v = t < 1 ? 1 - t : 0;
                ws[i - lo] = v;
                sum += v;
            }
            if (sum <= 0) {
                java.util.Arrays.fill(ws, 1.0 / ws.length);
            } else {
                for (int i = 0; i < ws.length; i++) {
                    ws[i] /= sum;
                }
            }
            start[o] = lo;
            k[o] = ws;
        }
        return new Weights(start, k);
    }
}
