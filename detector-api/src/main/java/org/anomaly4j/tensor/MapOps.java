package org.anomaly4j.tensor;

import java.util.function.IntBinaryOperator;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

import org.anomaly4j.api.MapFilters;

/**
 * Post-processing of anomaly maps on tensors, identical to the reference pipeline
 * ({@code common.py}: {@code gaussian_blur}, {@code to_anomaly_map}, i.e. anomalib's):
 * <ul>
 * <li>{@link #gaussianBlur}: separable Gaussian, kernel size {@code 2*int(4*sigma+0.5)+1} (the kernel
 * of {@link MapFilters#gaussianKernel(double)}), reflect padding (no edge repeat), per channel;</li>
 * <li>{@link #upsampleBilinear}: {@code F.interpolate(mode="bilinear", align_corners=False)};</li>
 * <li>{@link #toAnomalyMap}: patch scores {@code [N,h,w]} upsampled then blurred.</li>
 * </ul>
 * Padding is gathered with {@link MapFilters#reflect(int, int)}, so a kernel wider than the map keeps
 * mirroring (as the plain-Java {@link MapFilters#gaussianBlur} does) where torch's reflect pad would
 * fail. Results are float32 and belong to the input's manager; intermediates are freed. Every
 * operation is differentiable.
 */
public final class MapOps {
    private MapOps() {
    }

    /** Blurs {@code [N, C, H, W]} maps channel by channel; {@code sigma <= 0} returns a float32 copy. */
    public static NDArray gaussianBlur(NDArray maps, double sigma) {
        checkNchw(maps);
        if (sigma <= 0) {
            return maps.toType(DataType.FLOAT32, true);
        }
        return separable(maps, MapFilters.gaussianKernel(sigma), MapFilters::reflect);
    }

    /** Bilinear resize of {@code [N, C, h, w]} maps to {@code height x width}, align_corners=False. */
    public static NDArray upsampleBilinear(NDArray maps, int height, int width) {
        checkNchw(maps);
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("target size must be positive, got " + height + "x" + width);
        }
        NDManager owner = maps.getManager();
        try (NDManager tmp = owner.newSubManager()) {
            maps.tempAttach(tmp);
            NDArray out = maps.toType(DataType.FLOAT32, false).getNDArrayInternal()
                    .interpolation(new long[] {height, width}, Image.Interpolation.BILINEAR.ordinal(), false);
            out.attach(owner);
            return out;
        }
    }

    /**
     * The reference {@code to_anomaly_map}: patch scores {@code [N, h, w]} upsampled bilinearly to
     * {@code height x width} and blurred with {@code sigma}; returns {@code [N, height, width]}.
     */
    public static NDArray toAnomalyMap(NDArray patchScores, int height, int width, double sigma) {
        Shape s = patchScores.getShape();
        if (s.dimension() != 3) {
            throw new IllegalArgumentException("patch scores must be [N, h, w], got " + s);
        }
        NDManager owner = patchScores.getManager();
        try (NDManager tmp = owner.newSubManager()) {
            patchScores.tempAttach(tmp);
            NDArray up = upsampleBilinear(patchScores.expandDims(1), height, width);
            NDArray out = gaussianBlur(up, sigma).squeeze(1);
            out.attach(owner);
            return out;
        }
    }

    /**
     * Separable depthwise convolution of {@code [N, C, H, W]} with the same 1-D {@code kernel} along W
     * then H, padding by gathering the indices {@code pad.applyAsInt(i, n)} for {@code i} in
     * {@code [-r, n + r)}.
     */
    static NDArray separable(NDArray maps, float[] kernel, IntBinaryOperator pad) {
        Shape s = maps.getShape();
        int c = (int) s.get(1);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        int r = kernel.length / 2;
        NDManager owner = maps.getManager();
        try (NDManager tmp = owner.newSubManager()) {
            maps.tempAttach(tmp);
            NDArray x = maps.toType(DataType.FLOAT32, false);
            NDArray kw = Autograd.owned(tmp.create(kernel, new Shape(1, 1, 1, kernel.length))).repeat(0, c);
            NDArray kh = Autograd.owned(tmp.create(kernel, new Shape(1, 1, kernel.length, 1))).repeat(0, c);
            x = x.get(new NDIndex(":, :, :, {}", padIndex(tmp, w, r, pad)));
            x = Conv2d.conv2d(x, kw, null, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), c).singletonOrThrow();
            x = x.get(new NDIndex(":, :, {}, :", padIndex(tmp, h, r, pad)));
            NDArray out = Conv2d.conv2d(x, kh, null, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), c)
                    .singletonOrThrow();
            out.attach(owner);
            return out;
        }
    }

    /** The gather indices of one padded axis, engine-owned: autograd saves them for the backward pass. */
    static NDArray padIndex(NDManager m, int n, int r, IntBinaryOperator pad) {
        long[] idx = new long[n + 2 * r];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = pad.applyAsInt(i - r, n);
        }
        return Autograd.owned(m.create(idx));
    }

    static void checkNchw(NDArray maps) {
        if (maps.getShape().dimension() != 4) {
            throw new IllegalArgumentException("maps must be [N, C, H, W], got " + maps.getShape());
        }
    }
}
