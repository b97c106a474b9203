/**
 * Density estimation on images and features (survey section III-A): a model of the normal data's
 * density, with low density meaning anomalous.
 *
 * <ul>
 *   <li>{@link org.anomaly4j.density.PixelGaussian} ({@code pixel-gaussian}): a per-pixel Gaussian of
 *       normal images, with z-score maps;</li>
 *   <li>image-level detectors on feature vectors ({@link org.anomaly4j.density.FeatureDetector}: the
 *       {@code features} parameter is a {@link org.anomaly4j.features.FeatureSpec}, default raw
 *       {@code pixels}; no maps):
 *     <ul>
 *       <li>{@link org.anomaly4j.density.Mahalanobis} ({@code gaussian}): one Gaussian with Ledoit–Wolf or
 *           fixed shrinkage, optionally after a PCA with the reconstruction error as an extra term
 *           (DFM-style); score = squared Mahalanobis distance;</li>
 *       <li>{@link org.anomaly4j.density.Gmm} ({@code gmm}): a Gaussian mixture by EM as scikit-learn's
 *           {@code GaussianMixture} (full, tied, diag, spherical; k-means++ then Lloyd initialisation;
 *           components by BIC); score = negative log-likelihood;</li>
 *       <li>{@link org.anomaly4j.density.Kde} ({@code kde}): a Gaussian kernel density (Scott, Silverman,
 *           isotropic, cross-validated or fixed bandwidth); score = negative log-density;</li>
 *       <li>{@link org.anomaly4j.density.Knn} ({@code knn}): mean (or largest) distance to the k nearest
 *           training vectors, exact (by {@link org.anomaly4j.tensor.NearestNeighbors});</li>
 *       <li>{@link org.anomaly4j.density.Flow} ({@code flow}): a normalizing flow of affine coupling
 *           blocks with soft-clamped scales (RealNVP/Glow/DifferNet style), trained by maximum likelihood
 *           with {@link org.anomaly4j.tensor.TrainingLoop}; score = negative log-likelihood.</li>
 *     </ul>
 *   </li>
 * </ul>
 *
 * <p>The numerics are checked against scikit-learn 1.2 in the tests; {@code anomaly4j bench fmnist}
 * compares accuracy and speed with the scikit-learn references on Fashion-MNIST, side by side.
 */
package org.anomaly4j.density;

import org.anomaly4j.mixture.GaussianMixture;
