package org.anomaly4j.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How an input image becomes a model input: resize to {@code width x height} (antialiased
 * bilinear), then an optional centre crop, then 1 or 3 channels, then an optional tone step: each
 * plane blurred by a Gaussian of {@code blur} model pixels and every value raised to {@code power}
 * ({@link #tone}; {@code power = 0.5} is the square root, the usual variance-stabilising transform of
 * intensities; the defaults 0 and 1 leave values as they are). Part of every detector's config
 * and saved with it, so training and inference cannot disagree. {@link #mapToInput} takes a map at
 * model resolution back to the input image's resolution.
 *
 * @param width      resize width
 * @param height     resize height
 * @param cropWidth  centre-crop width, or 0 for none
 * @param cropHeight centre-crop height, or 0 for none
 * @param channels   1 (grey) or 3 (RGB)
 * @param blur       Gaussian sigma in model pixels of the tone step's blur, 0 for none
 * @param power      exponent of the tone step, 1 for none
 */
public record Preprocessing(int width, int height, int cropWidth, int cropHeight, int channels, double blur,
        double power) {

    /** Largest tone blur, in model pixels. */
    public static final double MAX_BLUR = 64;
    /** Largest tone power. */
    public static final double MAX_POWER = 16;

    public Preprocessing {
        Params.require(width > 0 && width <= 8192, "width", "must be in 1..8192, got " + width);
        Params.require(height > 0 && height <= 8192, "height", "must be in 1..8192, got " + height);
        Params.require(cropWidth >= 0 && cropWidth <= width, "crop_width",
                "must be 0 (no crop) or at most width " + width + ", got " + cropWidth);
        Params.require(cropHeight >= 0 && cropHeight <= height, "crop_height",
                "must be 0 (no crop) or at most height " + height + ", got " + cropHeight);
        Params.require((cropWidth == 0) == (cropHeight == 0), "crop_width",
                "crop width and height must both be 0 or both positive");
        Params.require(channels == 1 || channels == 3, "channels", "must be 1 or 3, got " + channels);
        Params.require(Double.isFinite(blur) && blur >= 0 && blur <= MAX_BLUR, "blur",
                "must be a Gaussian sigma in [0, 64] model pixels, got " + blur);
        Params.require(Double.isFinite(power) && power > 0 && power <= MAX_POWER, "power",
                "must be in (0, 16], got " + power);
    }

    /** Geometry only, no tone step. */
    public Preprocessing(int width, int height, int cropWidth, int cropHeight, int channels) {
        this(width, height, cropWidth, cropHeight, channels, 0, 1);
    }

    /** This preprocessing with the tone step {@code blur} (sigma, model pixels) and {@code power}. */
    public Preprocessing withTone(double newBlur, double newPower) {
        return new Preprocessing(width, height, cropWidth, cropHeight, channels, newBlur, newPower);
    }

    /** Whether the tone step changes values. */
    public boolean hasTone() {
        return blur > 0 || power != 1;
    }

    /** Resize only. */
    public static Preprocessing resize(int width, int height, int channels) {
        return new Preprocessing(width, height, 0, 0, channels);
    }

    /** Model input width. */
    public int outputWidth() {
        return cropWidth > 0 ? cropWidth : width;
    }

    /** Model input height. */
    public int outputHeight() {
        return cropHeight > 0 ? cropHeight : height;
    }

    /** Applies resize, crop, channel conversion and the tone step. */
    public AnomalyImage apply(AnomalyImage in) {
        AnomalyImage r = in.withChannels(channels).resize(width, height);
        r = cropWidth > 0 ? r.centerCrop(cropWidth, cropHeight) : r;
        if (!hasTone()) {
            return r;
        }
        float[] v = r.toArray();
        tone(v, 0, r.width(), r.height(), r.channels(), blur, power);
        return AnomalyImage.of(r.width(), r.height(), r.channels(), v);
    }

    /**
     * The tone step in place on one image's {@code c} planes of {@code w x h} values at {@code offset}: each
     * plane blurred by {@link MapFilters#gaussianBlur} ({@code blur > 0}), then every value {@code v} replaced by
     * {@code sign(v) |v|^power} ({@code power != 1}; image values are not negative, the sign only keeps the
     * step defined everywhere).
     */
    public static void tone(float[] values, int offset, int w, int h, int c, double blur, double power) {
        int plane = w * h;
        if (blur > 0) {
            for (int ch = 0; ch < c; ch++) {
                int o = offset + ch * plane;
                float[] blurred = MapFilters.gaussianBlur(java.util.Arrays.copyOfRange(values, o, o + plane), w, h,
                        blur);
                System.arraycopy(blurred, 0, values, o, plane);
            }
        }
        if (power == 0.5) {
            for (int i = offset, end = offset + plane * c; i < end; i++) {
                values[i] = Math.copySign((float) Math.sqrt(Math.abs(values[i])), values[i]);
            }
        } else if (power != 1) {
            for (int i = offset, end = offset + plane * c; i < end; i++) {
                values[i] = Math.copySign((float) Math.pow(Math.abs(values[i]), power), values[i]);
            }
        }
    }

    /** Applies the same geometry to a ground-truth mask (nearest neighbour). */
    public Mask apply(Mask in) {
        Mask r = in.resize(width, height);
        return cropWidth > 0 ? r.centerCrop(cropWidth, cropHeight) : r;
    }

    /**
     * Brings a map at model resolution back to an input of {@code inWidth x inHeight}: the cropped
     * border (outside the model's view) takes the map's minimum, then the map is resized.
     */
    public PixelMap mapToInput(PixelMap model, int inWidth, int inHeight) {
        PixelMap full = model;
        if (cropWidth > 0) {
            float fill = model.min();
            float[] out = new float[width * height];
            java.util.Arrays.fill(out, fill);
            int left = (int) Math.round((width - cropWidth) / 2.0);
            int top = (int) Math.round((height - cropHeight) / 2.0);
            float[] m = model.toArray();
            for (int y = 0; y < cropHeight; y++) {
                System.arraycopy(m, y * cropWidth, out, (top + y) * width + left, cropWidth);
            }
            full = PixelMap.of(width, height, out);
        }
        return full.resize(inWidth, inHeight);
    }

    /** The fields as a JSON-ready map. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("width", width);
        m.put("height", height);
        m.put("crop_width", cropWidth);
        m.put("crop_height", cropHeight);
        m.put("channels", channels);
        if (blur != 0) {
            m.put("blur", blur);
        }
        if (power != 1) {
            m.put("power", power);
        }
        return m;
    }

    /** Restores saved preprocessing. */
    public static Preprocessing fromMap(Map<String, ?> m) {
        try {
            return new Preprocessing(num(m, "width"), num(m, "height"), num(m, "crop_width"),
                    num(m, "crop_height"), num(m, "channels"), real(m, "blur", 0), real(m, "power", 1));
        } catch (NullPointerException | ClassCastException e) {
            throw new IllegalArgumentException("malformed preprocessing " + m, e);
        }
    }

    private static int num(Map<String, ?> m, String k) {
        return ((Number) m.get(k)).intValue();
    }

    private static double real(Map<String, ?> m, String k, double absent) {
        Object v = m.get(k);
        return v == null ? absent : ((Number) v).doubleValue();
    }
}
