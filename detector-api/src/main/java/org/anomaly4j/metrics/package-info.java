/**
 * Evaluation metrics and reports.
 *
 * <ul>
 *   <li>{@link org.anomaly4j.metrics.Metrics}: image AUROC, AUPR (average precision) and F1-max
 *       with its threshold, as scikit-learn computes them; exact pixel AUROC and AUPRO / the PRO
 *       curve up to a false-positive-rate limit (30% by default), as the MVTec AD definition and
 *       the project's reference implementation compute them. Pure Java on primitive arrays, fast
 *       enough for tens of millions of pixels.</li>
 *   <li>{@link org.anomaly4j.metrics.Evaluation}: scores a labelled test set with a detector and
 *       returns an {@link org.anomaly4j.metrics.EvaluationReport} (image and pixel metrics,
 *       per-defect-type AUROC, timings), optionally with the per-image scores and maps
 *       ({@link org.anomaly4j.metrics.EvaluationResult}).</li>
 *   <li>{@link org.anomaly4j.metrics.EvaluationReport}: JSON, CSV and console-table output of
 *       reports; {@link org.anomaly4j.metrics.Heatmaps}: heatmap PNG overlays.</li>
 * </ul>
 *
 * <p>All metric values are fractions in [0,1]; higher scores mean more anomalous; a threshold
 * {@code t} flags scores {@code >= t}.
 */
package org.anomaly4j.metrics;
