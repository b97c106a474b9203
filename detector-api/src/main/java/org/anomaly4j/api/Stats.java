package org.anomaly4j.api;

/** Small numeric helpers shared by calibration, maps and detectors. */
public final class Stats {
    private Stats() {
    }

    /** Quantile of sorted values with linear interpolation (numpy's default "linear" method). */
    public static double sortedQuantile(float[] sorted, double q) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("quantile of no values");
        }
        if (q < 0 || q > 1 || Double.isNaN(q)) {
            throw new IllegalArgumentException("quantile must be in [0,1], got " + q);
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        double f = pos - lo;
        return sorted[lo] + f * (sorted[hi] - sorted[lo]);
    }

    /** Quantile of sorted doubles, numpy's "linear" method. */
    public static double sortedQuantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("quantile of no values");
        }
        if (q < 0 || q > 1 || Double.isNaN(q)) {
            throw new IllegalArgumentException("quantile must be in [0,1], got " + q);
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        double f = pos - lo;
        return sorted[lo] + f * (sorted[hi] - sorted[lo]);
    }
}
