/**
 * PaDiM (Defard et al., ICPR 2020): one Gaussian per patch position over concatenated multi-level
 * backbone features, Mahalanobis distance maps; {@link org.anomaly4j.pixel.padim.Padim} and its config
 * and provider.
 */
package org.anomaly4j.pixel.padim;
