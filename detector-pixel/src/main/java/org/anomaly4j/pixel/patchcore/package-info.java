/**
 * PatchCore (Roth et al., CVPR 2022): a k-center-greedy coreset of locally aware patch features and
 * nearest-neighbour patch distances; {@link org.anomaly4j.pixel.patchcore.PatchCore} and its config
 * and provider.
 */
package org.anomaly4j.pixel.patchcore;
