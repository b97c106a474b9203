package org.anomaly4j.metrics;

/**
 * Pixel-level metrics computed from one sort of all pixels (see
 * {@link Metrics#pixelMetrics(float[][], org.anomaly4j.api.Mask[], double)}).
 *
 * @param auroc     AUROC over all pixels of all images, NaN when the masks hold only one class
 * @param aupro     normalised area under the PRO curve up to {@code fprLimit}, NaN when the masks
 *                  hold no anomalous region (or no normal pixel)
 * @param fprLimit  the false-positive-rate limit of {@code aupro}
 * @param pixels    number of pixels evaluated
 * @param positives number of anomalous (ground-truth) pixels
 * @param regions   number of 8-connected anomalous regions over all masks
 */
public record PixelMetrics(double auroc, double aupro, double fprLimit, long pixels, long positives, int regions) {
}
