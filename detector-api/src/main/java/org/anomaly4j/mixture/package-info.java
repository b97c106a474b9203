/**
 * Gaussian mixtures and k-means on dense double matrices: EM with full, diagonal and tied covariances,
 * k-means++ initialisation, BIC, and the dense helpers they use. Shared by the density detectors
 * ({@code gmm}) and the handcrafted pixel model ({@code patch-gmm}), so that family modules need not
 * depend on each other.
 */
package org.anomaly4j.mixture;
