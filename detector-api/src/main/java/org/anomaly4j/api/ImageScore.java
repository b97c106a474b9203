package org.anomaly4j.api;

import java.util.Optional;

/**
 * The result of scoring one image: a raw score (higher = more anomalous, no fixed range), an
 * optional pixel map at the input image's resolution, and the calibrated score in [0,1]
 * (0.5 = the threshold) when the detector is calibrated.
 */
public final class ImageScore {
    private final double score;
    private final PixelMap map;
    private final double normalized;

    public ImageScore(double score, PixelMap map, double normalized) {
        this.score = score;
        this.map = map;
        this.normalized = normalized;
    }

    public ImageScore(double score, PixelMap map) {
        this(score, map, Double.NaN);
    }

    /** The raw anomaly score; higher means more anomalous. */
    public double score() {
        return score;
    }

    /** The anomaly map at the input resolution, for detectors that localise. */
    public Optional<PixelMap> map() {
        return Optional.ofNullable(map);
    }

    /** The calibrated score in [0,1], 0.5 at the threshold; empty when the detector is uncalibrated. */
    public Optional<Double> normalized() {
        return Double.isNaN(normalized) ? Optional.empty() : Optional.of(normalized);
    }

    /** True when calibrated and the score lies above the threshold. */
    public boolean isAnomalous() {
        return !Double.isNaN(normalized) && normalized > 0.5;
    }

    /** A copy carrying a calibrated score. */
    public ImageScore withNormalized(double value) {
        return new ImageScore(score, map, value);
    }

    @Override
    public String toString() {
        return "ImageScore[score=" + score + (map != null ? ", map=" + map.width() + "x" + map.height() : "")
                + (Double.isNaN(normalized) ? "" : ", normalized=" + normalized) + "]";
    }
}
