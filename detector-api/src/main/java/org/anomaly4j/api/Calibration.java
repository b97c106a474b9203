package org.anomaly4j.api;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps raw scores to [0,1] with 0.5 at a decision threshold: {@code 1 / (1 + exp(-(s - t) / scale))},
 * where {@code scale} is the spread (standard deviation) of the normal calibration scores.
 *
 * <p>Two ways to choose the threshold:
 * <ul>
 *   <li>{@link #fromNormalScores}: the {@code q}-quantile of held-out normal scores, so about
 *       {@code 1 - q} of normal images are flagged;</li>
 *   <li>{@link #f1Optimal}: the threshold maximising F1 on a labelled validation set. With no
 *       anomalous image in that set F1 is undefined and the naive answer flags everything; this
 *       falls back to the normal-quantile rule instead and says so in {@link #method()}.</li>
 * </ul>
 */
public final class Calibration {
    /** The quantile used when an F1-optimal calibration has no anomalous examples. */
    public static final double DEFAULT_QUANTILE = 0.99;

    private final String method;
    private final double threshold;
    private final double scale;
    private final int samples;

    private Calibration(String method, double threshold, double scale, int samples) {
        if (!Double.isFinite(threshold) || !(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("calibration needs a finite threshold and positive scale, got t="
                    + threshold + " scale=" + scale);
        }
        this.method = method;
        this.threshold = threshold;
        this.scale = scale;
        this.samples = samples;
    }

    /** Threshold at the {@code quantile} of normal scores (e.g. 0.99). */
    public static Calibration fromNormalScores(double[] normalScores, double quantile) {
        checkScores(normalScores, "normal scores");
        if (!(quantile > 0 && quantile < 1)) {
            throw new IllegalArgumentException("quantile must be in (0,1), got " + quantile);
        }
        double[] s = normalScores.clone();
        Arrays.sort(s);
        return new Calibration("quantile:" + quantile, Stats.sortedQuantile(s, quantile), spread(s), s.length);
    }

    /**
     * F1-optimal threshold on labelled validation scores; falls back to the
     * {@link #DEFAULT_QUANTILE} of the normals when there is no anomalous example.
     */
    public static Calibration f1Optimal(double[] scores, boolean[] anomalous) {
        checkScores(scores, "scores");
        if (anomalous.length != scores.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + anomalous.length + " labels");
        }
        int nPos = 0;
        for (boolean b : anomalous) {
            if (b) {
                nPos++;
            }
        }
        double[] normals = new double[scores.length - nPos];
        for (int i = 0, j = 0; i < scores.length; i++) {
            if (!anomalous[i]) {
                normals[j++] = scores[i];
            }
        }
        if (nPos == 0) {
            Calibration q = fromNormalScores(normals, DEFAULT_QUANTILE);
            return new Calibration("f1-fallback-quantile:" + DEFAULT_QUANTILE, q.threshold, q.scale, q.samples);
        }
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        // sweep thresholds from high to low: predicted positive = score >= order[k]'s score
        int tp = 0;
        int fp = 0;
        double bestF1 = -1;
        int bestK = 0;
        for (int k = 0; k < order.length; k++) {
            if (anomalous[order[k]]) {
                tp++;
            } else {
                fp++;
            }
            boolean lastOfTie = k + 1 == order.length || scores[order[k + 1]] < scores[order[k]];
            if (!lastOfTie) {
                continue;
            }
            double f1 = 2.0 * tp / (2.0 * tp + fp + (nPos - tp));
            if (f1 > bestF1) {
                bestF1 = f1;
                bestK = k;
            }
        }
        double above = scores[order[bestK]];
        double below = bestK + 1 < order.length ? scores[order[bestK + 1]] : above - 1.0;
        double t = 0.5 * (above + below); // midway between the last flagged and the first passed score
        double[] sp = normals.length > 1 ? normals : scores;
        double[] sorted = sp.clone();
        Arrays.sort(sorted);
        return new Calibration("f1-optimal", t, spread(sorted), scores.length);
    }

    /** Restores a saved calibration. */
    public static Calibration fromMap(Map<String, ?> m) {
        try {
            return new Calibration(String.valueOf(m.get("method")), ((Number) m.get("threshold")).doubleValue(),
                    ((Number) m.get("scale")).doubleValue(), ((Number) m.get("samples")).intValue());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed calibration " + m + ": " + e.getMessage(), e);
        }
    }

    /** The fields as a JSON-ready map. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("threshold", threshold);
        m.put("scale", scale);
        m.put("samples", samples);
        return m;
    }

    /** The score normalised to [0,1]; 0.5 at the threshold, monotone in the raw score. */
    public double normalize(double score) {
        return 1.0 / (1.0 + Math.exp(-(score - threshold) / scale));
    }

    /** True when {@code score} is above the threshold. */
    public boolean isAnomalous(double score) {
        return score > threshold;
    }

    /** Applies the calibration to a score. */
    public ImageScore apply(ImageScore s) {
        return s.withNormalized(normalize(s.score()));
    }

    /** "quantile:0.99", "f1-optimal" or "f1-fallback-quantile:0.99". */
    public String method() {
        return method;
    }

    public double threshold() {
        return threshold;
    }

    public double scale() {
        return scale;
    }

    /** How many scores it was computed from. */
    public int samples() {
        return samples;
    }

    private static double spread(double[] sorted) {
        double mean = 0;
        for (double v : sorted) {
            mean += v;
        }
        mean /= sorted.length;
        double var = 0;
        for (double v : sorted) {
            var += (v - mean) * (v - mean);
        }
        double sd = sorted.length > 1 ? Math.sqrt(var / (sorted.length - 1)) : 0;
        if (sd > 0 && Double.isFinite(sd)) {
            return sd;
        }
        return Math.max(Math.abs(mean) * 1e-3, 1e-9);
    }

    private static void checkScores(double[] s, String what) {
        if (s == null || s.length == 0) {
            throw new IllegalArgumentException("calibration needs at least one of the " + what);
        }
        for (double v : s) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("calibration " + what + " hold a non-finite value: " + v);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Calibration c && c.method.equals(method) && c.threshold == threshold
                && c.scale == scale && c.samples == samples;
    }

    @Override
    public int hashCode() {
        return List.of(method, threshold, scale, samples).hashCode();
    }

    @Override
    public String toString() {
        return "Calibration[" + method + ", threshold=" + threshold + ", scale=" + scale + ", n=" + samples + "]";
    }
}
