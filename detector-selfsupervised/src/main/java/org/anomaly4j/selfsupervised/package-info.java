/**
 * Self-supervised detection (survey section III-D): networks trained on an auxiliary task over normal
 * images only, scored by how well the task goes on a new image.
 *
 * <ul>
 *   <li>{@link org.anomaly4j.selfsupervised.TransformClassifier}: transformation classification,
 *       type {@code geom} (GEOM / RotateNet, Golan and El-Yaniv 2018: one head over 72 composed
 *       flips, translations and rotations, Dirichlet normality score) and type {@code rotnet-trans}
 *       (Hendrycks et al. 2019: separate rotation and translation heads), configured by
 *       {@link org.anomaly4j.selfsupervised.TransformConfig}.</li>
 *   <li>{@link org.anomaly4j.selfsupervised.Contrastive}: contrastive encoders, type {@code csi}
 *       (Tack et al. 2020: SimCLR with rotations as shifted negatives; nearest-neighbour cosine
 *       similarity times feature norm) and type {@code ssd} (Sehwag et al. 2021: SimCLR features,
 *       k-means, cluster-wise Mahalanobis), configured by
 *       {@link org.anomaly4j.selfsupervised.ContrastiveConfig}.</li>
 *   <li>{@link org.anomaly4j.selfsupervised.Augment}: the seeded, batched tensor augmentations they
 *       share (90-degree rotations, flips, integer translations with reflect or zero padding, resized
 *       crops, colour and grey jitter).</li>
 * </ul>
 *
 * All train with the shared {@link org.anomaly4j.tensor.TrainingLoop}, score whole images (no pixel
 * maps), save to one model archive and register as {@link org.anomaly4j.api.DetectorProvider}s.
 */
package org.anomaly4j.selfsupervised;
