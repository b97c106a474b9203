/**
 * Density estimation on images and features (survey section III-A): a model of the normal data's
 * density, with low density meaning anomalous. Here: {@link org.anomaly4j.density.PixelGaussian}
 * (a per-pixel Gaussian of normal images, with z-score maps).
 */
package org.anomaly4j.density;
