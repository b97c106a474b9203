package org.anomaly4j.features;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.Resampling;

/**
 * {@link AnomalyImage#resize} (antialiased bilinear, PIL's BILINEAR convention) as a planar array,
 * without wrapping the result in a new image: the feature extractors copy it straight into their rows.
 */
final class Resizer {
    private Resizer() {
    }

    /** The image's planar values at {@code nw x nh} (its own array when the size already matches). */
    static float[] resize(AnomalyImage image, int nw, int nh) {
        int w = image.width();
        int h = image.height();
        float[] src = image.toArray();
        if (w == nw && h == nh) {
            return src;
        }
        return Resampling.resizePlanes(src, image.channels(), w, h, nw, nh);
    }
}
