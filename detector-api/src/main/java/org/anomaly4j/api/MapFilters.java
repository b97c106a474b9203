package org.anomaly4j.api;

/**
 * Smoothing of anomaly maps: separable Gaussian blur with reflect padding (as anomalib/kornia), in
 * plain Java on one {@code w x h} map. {@code org.anomaly4j.tensor.MapOps} is the batched tensor
 * version; both use {@link #gaussianKernel(double)} and {@link #reflect(int, int)}, so they agree.
 */
public final class MapFilters {
    private MapFilters() {
    }

    /** Kernel of anomalib's GaussianBlur2d: size {@code 2*int(4*sigma+0.5)+1}, normalised. */
    public static float[] gaussianKernel(double sigma) {
        int ks = 2 * (int) (4.0 * sigma + 0.5) + 1;
        float[] k = new float[ks];
        double sum = 0;
        for (int i = 0; i < ks; i++) {
            double x = i - ks / 2;
            k[i] = (float) Math.exp(-(x * x) / (2 * sigma * sigma));
            sum += k[i];
        }
        for (int i = 0; i < ks; i++) {
            k[i] /= (float) sum;
        }
        return k;
    }

    /** Blurs a row-major {@code w x h} map; {@code sigma <= 0} returns a copy. */
    public static float[] gaussianBlur(float[] map, int w, int h, double sigma) {
        if (sigma <= 0) {
            return map.clone();
        }
        float[] k = gaussianKernel(sigma);
        int r = k.length / 2;
        float[] tmp = new float[map.length];
        float[] out = new float[map.length];
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int i = -r; i <= r; i++) {
                    acc += k[i + r] * map[row + reflect(x + i, w)];
                }
                tmp[row + x] = (float) acc;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int i = -r; i <= r; i++) {
                    acc += k[i + r] * tmp[reflect(y + i, h) * w + x];
                }
                out[y * w + x] = (float) acc;
            }
        }
        return out;
    }

    /**
     * Reflect padding index (no edge repeat, torch's {@code mode="reflect"}), valid for any offset:
     * beyond one reflection it keeps mirroring, where torch would refuse a pad as large as the map.
     */
    public static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }
}
