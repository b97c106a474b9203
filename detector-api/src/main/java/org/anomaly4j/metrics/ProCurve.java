package org.anomaly4j.metrics;

import java.util.Arrays;

/**
 * The per-region-overlap curve (Bergmann et al., MVTec AD): for every distinct score {@code t},
 * taken in decreasing order, the false-positive rate over all ground-truth-normal pixels of
 * {@code map >= t} and the PRO, the mean over all ground-truth regions of the fraction of the
 * region with {@code map >= t}.
 *
 * <p>The curve starts at {@code (0, 0)} (threshold {@code +Infinity}) and holds every point whose
 * FPR does not exceed the limit it was computed to, followed by the first point beyond it (if
 * any), so that {@link #normalizedArea(double)} can interpolate at the limit.
 *
 * @param fpr        false-positive rates, non-decreasing
 * @param pro        PRO values, non-decreasing, in [0,1]
 * @param thresholds the score of each point, decreasing ({@code +Infinity} for the origin)
 * @param regions    the number of ground-truth regions averaged over
 */
public record ProCurve(double[] fpr, double[] pro, double[] thresholds, int regions) {

    public ProCurve {
        if (fpr.length != pro.length || fpr.length != thresholds.length) {
            throw new IllegalArgumentException("fpr, pro and thresholds must have one length, got "
                    + fpr.length + ", " + pro.length + ", " + thresholds.length);
        }
        fpr = fpr.clone();
        pro = pro.clone();
        thresholds = thresholds.clone();
    }

    /** Number of points. */
    public int size() {
        return fpr.length;
    }

    @Override
    public double[] fpr() {
        return fpr.clone();
    }

    @Override
    public double[] pro() {
        return pro.clone();
    }

    @Override
    public double[] thresholds() {
        return thresholds.clone();
    }

    /**
     * Area under PRO(FPR) on {@code [0, fprLimit]} (trapezoid rule, linear interpolation at the
     * limit) divided by {@code fprLimit}: the AUPRO, exactly as the reference implementation.
     */
    public double normalizedArea(double fprLimit) {
        Metrics.checkFprLimit(fprLimit);
        if (fpr.length == 0) {
            return Double.NaN;
        }
        double area = 0;
        for (int k = 1; k < fpr.length; k++) {
            double x0 = fpr[k - 1];
            double y0 = pro[k - 1];
            double x1 = fpr[k];
            double y1 = pro[k];
            if (x1 <= fprLimit) {
                area += (x1 - x0) * (y1 + y0) / 2.0;
            } else {
                if (x0 < fprLimit) {
                    double yl = y0 + (y1 - y0) * (fprLimit - x0) / (x1 - x0);
                    area += (fprLimit - x0) * (yl + y0) / 2.0;
                }
                break;
            }
        }
        return area / fprLimit;
    }

    /** The PRO at a false-positive rate, linearly interpolated between the curve's points. */
    public double proAt(double rate) {
        if (!(rate >= 0) || fpr.length == 0) {
            throw new IllegalArgumentException("rate must be >= 0 on a non-empty curve, got " + rate);
        }
        for (int k = 1; k < fpr.length; k++) {
            if (fpr[k] >= rate) {
                double x0 = fpr[k - 1];
                double x1 = fpr[k];
                return x1 > x0 ? pro[k - 1] + (pro[k] - pro[k - 1]) * (rate - x0) / (x1 - x0) : pro[k];
            }
        }
        if (fpr[fpr.length - 1] < rate && fpr[fpr.length - 1] < 1.0) {
            throw new IllegalArgumentException("the curve was computed only up to FPR "
                    + fpr[fpr.length - 1] + ", asked for " + rate);
        }
        return pro[pro.length - 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProCurve c && c.regions == regions && Arrays.equals(c.fpr, fpr)
                && Arrays.equals(c.pro, pro) && Arrays.equals(c.thresholds, thresholds);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(fpr) + Arrays.hashCode(pro)) + regions;
    }

    @Override
    public String toString() {
        return "ProCurve[" + fpr.length + " points, " + regions + " regions"
                + (fpr.length > 0 ? ", up to FPR " + fpr[fpr.length - 1] : "") + "]";
    }
}
