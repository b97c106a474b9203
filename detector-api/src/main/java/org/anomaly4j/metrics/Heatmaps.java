package org.anomaly4j.metrics;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import javax.imageio.ImageIO;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.Mask;
import org.anomaly4j.api.PixelMap;

/**
 * Heatmap overlays a person can read: one PNG per scored image with three panels side by side,
 * {@code [input | anomaly map in the turbo colour map | input blended 50% with the map, ground-truth
 * contour on top]}.
 *
 * <p>Map values are normalised with a caller-given range {@code [lo, hi]} and clamped, so overlays
 * of one test set are comparable when they share a range (for example {@code lo} = the median
 * and {@code hi} = the maximum of the maps of normal images, or the calibration threshold's
 * neighbourhood). {@link #overlay(AnomalyImage, PixelMap, Mask)} uses the map's own range.
 */
public final class Heatmaps {
    /** Colour of the ground-truth contour (magenta: absent from the turbo map). */
    public static final int CONTOUR_RGB = 0xFF00FF;

    private Heatmaps() {
    }

    /**
     * The three-panel overlay, {@code 3 * width} by {@code height} pixels.
     *
     * @param image the scored image (grey is shown as grey, alpha is dropped)
     * @param map   its anomaly map; resized bilinearly if its size differs from the image's
     * @param mask  the ground truth, or null; its 1-pixel inner boundary (mask pixels with a
     *              4-neighbour outside the mask or the image) is drawn in {@link #CONTOUR_RGB} on the
     *              third panel; resized (nearest) if its size differs
     * @param lo    map value shown as the bottom of the colour map
     * @param hi    map value shown as the top; must not be below {@code lo} (equal: a step at {@code lo})
     */
    public static BufferedImage overlay(AnomalyImage image, PixelMap map, Mask mask, double lo, double hi) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(map, "map");
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || hi < lo) {
            throw new IllegalArgumentException("map range must be finite with lo <= hi, got lo=" + lo + ", hi=" + hi);
        }
        int w = image.width();
        int h = image.height();
        PixelMap m = map.width() == w && map.height() == h ? map : map.resize(w, h);
        Mask gt = mask == null || (mask.width() == w && mask.height() == h) ? mask : mask.resize(w, h);
        AnomalyImage rgb = image.toRgb();
        BufferedImage out = new BufferedImage(3 * w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = to8(rgb.get(0, y, x));
                int g = to8(rgb.get(1, y, x));
                int b = to8(rgb.get(2, y, x));
                int heat = turbo(normalise(m.get(x, y), lo, hi));
                out.setRGB(x, y, r << 16 | g << 8 | b);
                out.setRGB(w + x, y, heat);
                int blend;
                if (gt != null && isBoundary(gt, x, y)) {
                    blend = CONTOUR_RGB;
                } else {
                    blend = (r + (heat >> 16 & 0xFF) + 1) / 2 << 16 | (g + (heat >> 8 & 0xFF) + 1) / 2 << 8
                            | (b + (heat & 0xFF) + 1) / 2;
                }
                out.setRGB(2 * w + x, y, blend);
            }
        }
        return out;
    }

    /** {@link #overlay(AnomalyImage, PixelMap, Mask, double, double)} over the map's own min..max. */
    public static BufferedImage overlay(AnomalyImage image, PixelMap map, Mask mask) {
        return overlay(image, map, mask, map.min(), map.max());
    }

    /** Writes a PNG, creating missing parent directories. */
    public static void writePng(BufferedImage image, Path file) throws IOException {
        Objects.requireNonNull(image, "image");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer for image type " + image.getType() + " (" + file + ")");
        }
    }

    /** Value scaled to [0, 1] over [lo, hi], clamped; with {@code lo == hi} a step at {@code lo}. */
    static double normalise(double v, double lo, double hi) {
        if (hi == lo) {
            return v > lo ? 1 : 0;
        }
        double t = (v - lo) / (hi - lo);
        return t < 0 ? 0 : t > 1 ? 1 : t;
    }

    /** Whether (x, y) is in the mask and has a 4-neighbour outside it or outside the image. */
    static boolean isBoundary(Mask mask, int x, int y) {
        if (!mask.get(x, y)) {
            return false;
        }
        int w = mask.width();
        int h = mask.height();
        return x == 0 || y == 0 || x == w - 1 || y == h - 1 || !mask.get(x - 1, y) || !mask.get(x + 1, y)
                || !mask.get(x, y - 1) || !mask.get(x, y + 1);
    }

    /**
     * The turbo colour map (Google, 2019; polynomial fit by its author) at {@code t} in [0, 1], as
     * 0xRRGGBB: dark blue, cyan, green, yellow, red, dark red.
     */
    public static int turbo(double t) {
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        double r = 0.13572138 + t * (4.61539260 + t * (-42.66032258 + t * (132.13108234 + t * (-152.94239396
                + t * 59.28637943))));
        double g = 0.09140261 + t * (2.19418839 + t * (4.84296658 + t * (-14.18503333 + t * (4.27729857
                + t * 2.82956604))));
        double b = 0.10667330 + t * (12.64194608 + t * (-60.58204836 + t * (110.36276771 + t * (-89.90310912
                + t * 27.34824973))));
        return to8(r) << 16 | to8(g) << 8 | to8(b);
    }

    private static int to8(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v * 255)));
    }
}
