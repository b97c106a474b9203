package org.anomaly4j.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Structural similarity (Wang et al. 2004) between image batches, as the SSIM autoencoder of
 * Bergmann et al. uses it for its loss and its residual map ({@code 1 - SSIM}). Identical to
 * {@code skimage.metrics.structural_similarity(gaussian_weights=True, sigma=1.5,
 * use_sample_covariance=False, data_range=R)} (defaults: sigma 1.5, K1 0.01, K2 0.03, data range 1):
 * Gaussian window of radius {@code int(3.5*sigma + 0.5)} (11 taps for sigma 1.5), local statistics
 * with population (not sample) covariance, one map per channel.
 *
 * <p>Borders: local statistics near the edge are computed on the image extended by symmetric
 * reflection (edge sample repeated: scipy's {@code mode="reflect"}, which skimage uses), so
 * {@link #map} equals skimage's {@code full=True} map at every pixel, borders included;
 * {@link #mean} then averages, like skimage, only pixels at least one window radius from the edge.
 * Images must be at least {@code 2*radius + 1} pixels on each side (skimage's rule).
 *
 * <p>Inputs are {@code [N, C, H, W]}; results are float32 in the first input's manager, and
 * differentiable (usable as a training loss: {@code 1 - mean}).
 */
public final class Ssim {
    /** sigma 1.5, K1 0.01, K2 0.03, data range 1: the settings of the SSIM autoencoder and skimage. */
    public static final Ssim DEFAULT = new Ssim(1.5, 0.01, 0.03, 1.0);

    private final double sigma;
    private final double c1;
    private final double c2;
    private final float[] kernel;

    /**
     * @param sigma     standard deviation of the Gaussian window (> 0)
     * @param k1        stabiliser of the luminance term
     * @param k2        stabiliser of the contrast-structure term
     * @param dataRange value range of the images (1 for [0,1] floats)
     */
    public Ssim(double sigma, double k1, double k2, double dataRange) {
        if (!(sigma > 0) || !(dataRange > 0) || !(k1 > 0) || !(k2 > 0)) {
            throw new IllegalArgumentException("sigma, k1, k2 and dataRange must be positive");
        }
        this.sigma = sigma;
        this.c1 = (k1 * dataRange) * (k1 * dataRange);
        this.c2 = (k2 * dataRange) * (k2 * dataRange);
        int r = (int) (3.5 * sigma + 0.5);
        double[] k = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = Math.exp(-0.5 * i * i / (sigma * sigma));
            sum += k[i + r];
        }
        kernel = new float[k.length];
        for (int i = 0; i < k.length; i++) {
            kernel[i] = (float) (k[i] / sum);
        }
    }

    /** Window radius in pixels (5 for sigma 1.5). */
    public int radius() {
        return kernel.length / 2;
    }

    /** The SSIM map of each channel: {@code [N, C, H, W]}. */
    public NDArray channelMaps(NDArray x, NDArray y) {
        check(x, y);
        NDManager owner = x.getManager();
        try (NDManager tmp = owner.newSubManager()) {
            x.tempAttach(tmp);
            if (y != x) {
                y.tempAttach(tmp);
            }
            NDArray a = x.toType(DataType.FLOAT32, false);
            NDArray b = y.toType(DataType.FLOAT32, false);
            NDArray stats = MapOps.separable(NDArrays.concat(new NDList(a, b, a.mul(a), b.mul(b), a.mul(b)), 1), kernel,
                    Ssim::symmetric); // [N, 5C, H, W]: E[x], E[y], E[x^2], E[y^2], E[xy]
            NDList parts = stats.split(5, 1);
            NDArray ux = parts.get(0);
            NDArray uy = parts.get(1);
            NDArray vx = parts.get(2).sub(ux.mul(ux));
            NDArray vy = parts.get(3).sub(uy.mul(uy));
            NDArray vxy = parts.get(4).sub(ux.mul(uy));
            NDArray num = Autograd.mul(ux.mul(uy), 2).add(c1).mul(Autograd.mul(vxy, 2).add(c2));
            NDArray den = ux.mul(ux).add(uy.mul(uy)).add(c1).mul(vx.add(vy).add(c2));
            NDArray out = num.div(den);
            out.attach(owner);
            return out;
        }
    }

    /** The SSIM map averaged over channels: {@code [N, 1, H, W]}. */
    public NDArray map(NDArray x, NDArray y) {
        NDManager owner = x.getManager();
        try (NDManager tmp = owner.newSubManager()) {
            NDArray maps = channelMaps(x, y);
            maps.attach(tmp);
            NDArray out = maps.mean(new int[] {1}, true);
            out.attach(owner);
            return out;
        }
    }

    /**
     * Mean SSIM of each image pair, {@code [N]}: skimage's {@code mssim} (the per-channel maps averaged
     * over pixels at least {@link #radius()} from the border, then over channels).
     */
    public NDArray mean(NDArray x, NDArray y) {
        int r = radius();
        Shape s = x.getShape();
        NDManager owner = x.getManager();
        try (NDManager tmp = owner.newSubManager()) {
            NDArray maps = channelMaps(x, y);
            maps.attach(tmp);
            NDArray out = maps.get(":, :, " + r + ":" + (s.get(2) - r) + ", " + r + ":" + (s.get(3) - r))
                    .reshape(s.get(0), -1).mean(new int[] {1}); // equal crops: mean of channel means
            out.attach(owner);
            return out;
        }
    }

    /** scipy's {@code mode="reflect"} index (edge repeated: {@code d c b a | a b c d | d c b a}). */
    static int symmetric(int i, int n) {
        int period = 2 * n;
        int m = Math.floorMod(i, period);
        return m < n ? m : period - 1 - m;
    }

    private void check(NDArray x, NDArray y) {
        Shape s = x.getShape();
        if (s.dimension() != 4 || !s.equals(y.getShape())) {
            throw new IllegalArgumentException("SSIM needs two [N, C, H, W] batches of one shape, got " + s + " and "
                    + y.getShape());
        }
        int min = kernel.length;
        if (s.get(2) < min || s.get(3) < min) {
            throw new IllegalArgumentException("images must be at least " + min + "x" + min + " for an SSIM window of sigma "
                    + sigma + ", got " + s.get(2) + "x" + s.get(3));
        }
    }
}
