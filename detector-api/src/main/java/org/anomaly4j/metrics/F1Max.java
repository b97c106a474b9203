package org.anomaly4j.metrics;

/**
 * The best F1 score over all decision thresholds and the threshold that reaches it.
 *
 * @param f1        the maximum F1 over every distinct score used as threshold, in [0,1]
 * @param threshold the score at which it is reached: an image is predicted anomalous when its
 *                  score is {@code >= threshold}. Where several thresholds tie for the maximum the
 *                  lowest one is given (numpy's {@code argmax} over scikit-learn's
 *                  {@code precision_recall_curve}, whose thresholds increase).
 */
public record F1Max(double f1, double threshold) {
}
