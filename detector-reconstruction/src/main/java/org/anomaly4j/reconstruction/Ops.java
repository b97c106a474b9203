package org.anomaly4j.reconstruction;

import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;

import org.anomaly4j.tensor.Autograd;
import org.anomaly4j.tensor.MapOps;

/** Tensor helpers of the reconstruction losses and maps, and the degradations of the restoration methods. */
final class Ops {
    private static final float GMS_C = 0.0026f;

    private Ops() {
    }

    /** {@code log(1 + exp(t))}, stable: {@code max(t, 0) + log(1 + exp(-|t|))}. */
    static NDArray softplus(NDArray t) {
        return Autograd.maximum(t, 0).add(t.abs().neg().exp().add(1f).log());
    }

    /**
     * Gradient magnitude similarity map (Zavrtanik et al.'s MSGMS, one scale) of two {@code [N, C, H, W]}
     * batches, on their channel means, Prewitt filters with replicate-free zero padding: {@code [N, 1, H, W]}.
     */
    static NDArray gms(NDArray a, NDArray b) {
        NDManager m = a.getManager();
        NDArray kx = m.create(new float[] {1, 0, -1, 1, 0, -1, 1, 0, -1}, new Shape(1, 1, 3, 3)).div(3f);
        NDArray ky = kx.transpose(0, 1, 3, 2);
        NDArray k = kx.concat(ky, 0); // [2, 1, 3, 3]
        NDArray ga = grad(a.mean(new int[] {1}, true), k);
        NDArray gb = grad(b.mean(new int[] {1}, true), k);
        return Autograd.mul(ga.mul(gb), 2).add(GMS_C).div(ga.square().add(gb.square()).add(GMS_C));
    }

    private static NDArray grad(NDArray x, NDArray k) {
        NDArray g = Conv2d.conv2d(x, k, null, new Shape(1, 1), new Shape(1, 1)).singletonOrThrow();
        return g.square().sum(new int[] {1}, true).add(1e-12f).sqrt();
    }

    /** Multi-scale GMS distance map {@code 1 - mean_s GMS_s}, scales 1, 1/2, 1/4, 1/8 (as many as the size allows). */
    static NDArray msgmsDistance(NDArray a, NDArray b) {
        Shape s = a.getShape();
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        NDArray sum = null;
        int count = 0;
        NDArray x = a;
        NDArray y = b;
        for (int scale = 0; scale < 4; scale++) {
            if (scale > 0) {
                if (x.getShape().get(2) < 8 || x.getShape().get(3) < 8) {
                    break;
                }
                x = Pool.avgPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
                y = Pool.avgPool2d(y, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
            }
            NDArray g = gms(x, y);
            if (scale > 0) {
                g = MapOps.upsampleBilinear(g, h, w);
            }
            sum = sum == null ? g : sum.add(g);
            count++;
        }
        return Autograd.div(sum, count).neg().add(1f);
    }

    // ----- degradations on CHW float arrays (restoration) -----

    /** Grey: every channel set to the channel mean. */
    static float[] grey(float[] x, int c, int h, int w) {
        float[] out = new float[x.length];
        int plane = h * w;
        for (int i = 0; i < plane; i++) {
            float s = 0;
            for (int k = 0; k < c; k++) {
                s += x[k * plane + i];
            }
            s /= c;
            for (int k = 0; k < c; k++) {
                out[k * plane + i] = s;
            }
        }
        return out;
    }

    /** Rotation by {@code quarter * 90} degrees (square images). */
    static float[] rotate(float[] x, int c, int n, int quarter) {
        float[] out = new float[x.length];
        int plane = n * n;
        for (int k = 0; k < c; k++) {
            for (int y = 0; y < n; y++) {
                for (int xx = 0; xx < n; xx++) {
                    int sy;
                    int sx;
                    switch (quarter & 3) {
                        case 1 -> {
                            sy = xx;
                            sx = n - 1 - y;
                        }
                        case 2 -> {
                            sy = n - 1 - y;
                            sx = n - 1 - xx;
                        }
                        case 3 -> {
                            sy = n - 1 - xx;
                            sx = y;
                        }
                        default -> {
                            sy = y;
                            sx = xx;
                        }
                    }
                    out[k * plane + y * n + xx] = x[k * plane + sy * n + sx];
                }
            }
        }
        return out;
    }

    /** Puzzle: the 4x4 grid of patches permuted by {@code perm} (16 entries). */
    static float[] shuffle(float[] x, int c, int h, int w, int[] perm) {
        float[] out = new float[x.length];
        int ph = h / 4;
        int pw = w / 4;
        for (int p = 0; p < 16; p++) {
            int src = perm[p];
            int dy = (p / 4) * ph;
            int dx = (p % 4) * pw;
            int sy = (src / 4) * ph;
            int sx = (src % 4) * pw;
            for (int k = 0; k < c; k++) {
                for (int y = 0; y < ph; y++) {
                    System.arraycopy(x, k * h * w + (sy + y) * w + sx, out, k * h * w + (dy + y) * w + dx, pw);
                }
            }
        }
        return out;
    }

    /** A random permutation of 0..n-1 that moves at least one element. */
    static int[] permutation(int n, Random r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        do {
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
        } while (isIdentity(p));
        return p;
    }

    private static boolean isIdentity(int[] p) {
        for (int i = 0; i < p.length; i++) {
            if (p[i] != i) {
                return false;
            }
        }
        return true;
    }

    /**
     * RIAD masks: the image cut into {@code k x k} cells (the last row and column of cells cut short where
     * {@code k} does not divide the size), the cells split at random into {@code splits} disjoint sets; mask
     * {@code i} is 1 on the cells of set {@code i}. Returns {@code splits * h * w} values.
     */
    static float[] masks(int h, int w, int k, int splits, Random r) {
        int gh = (h + k - 1) / k;
        int gw = (w + k - 1) / k;
        int[] owner = new int[gh * gw];
        for (int i = 0; i < owner.length; i++) {
            owner[i] = i % splits;
        }
        for (int i = owner.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = owner[i];
            owner[i] = owner[j];
            owner[j] = t;
        }
        float[] m = new float[splits * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                m[owner[(y / k) * gw + x / k] * h * w + y * w + x] = 1f;
            }
        }
        return m;
    }
}
