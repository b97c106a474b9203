/**
 * Evaluation metrics (image AUROC, AUPR, F1-max, pixel AUROC, PRO / AUPRO to 30% FPR) and the
 * evaluation of a detector on a labelled test set, with per-defect-type rows.
 */
package org.anomaly4j.metrics;
