package org.anomaly4j.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How an input image becomes a model input: resize to {@code width x height} (antialiased
 * bilinear), then an optional centre crop, then 1 or 3 channels. Part of every detector's config
 * and saved with it, so training and inference cannot disagree. {@link #mapToInput} takes a map at
 * model resolution back to the input image's resolution.
 *
 * @param width      resize width
 * @param height     resize height
 * @param cropWidth  centre-crop width, or 0 for none
 * @param cropHeight centre-crop height, or 0 for none
 * @param channels   1 (grey) or 3 (RGB)
 */
public record Preprocessing(int width, int height, int cropWidth, int cropHeight, int channels) {

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

    /** Applies resize, crop and channel conversion. */
    public AnomalyImage apply(AnomalyImage in) {
        AnomalyImage r = in.withChannels(channels).resize(width, height);
        return cropWidth > 0 ? r.centerCrop(cropWidth, cropHeight) : r;
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
        return m;
    }

    /** Restores saved preprocessing. */
    public static Preprocessing fromMap(Map<String, ?> m) {
        try {
            return new Preprocessing(num(m, "width"), num(m, "height"), num(m, "crop_width"),
                    num(m, "crop_height"), num(m, "channels"));
        } catch (NullPointerException | ClassCastException e) {
            throw new IllegalArgumentException("malformed preprocessing " + m, e);
        }
    }

    private static int num(Map<String, ?> m, String k) {
        return ((Number) m.get(k)).intValue();
    }
}
