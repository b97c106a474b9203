/**
 * Pixel-level feature modelling (survey section IV-B): per-patch models over pretrained or self-trained
 * features, giving pixel-accurate maps.
 *
 * <p>This package holds the small pieces the backbone-feature detectors share:
 * {@link org.anomaly4j.pixel.PatchEmbedding} (multi-level patch features: optional local average pooling,
 * resizing to one level's grid, concatenation) and {@link org.anomaly4j.pixel.PatchDetector} (backbone,
 * batched scoring in fixed-size batches so that an image scores the same alone or in a batch, the
 * reference map post-processing: bilinear upsampling and Gaussian blur); and the pieces the trained
 * detectors share: {@link org.anomaly4j.pixel.ScaleMaps} (combining maps across scales, spreading patch
 * scores over pixels), {@link org.anomaly4j.pixel.NetParams} (saving and loading DJL block parameters) and
 * {@link org.anomaly4j.pixel.TrainingImages} (checked, normalised training batches). The detectors live in
 * sub-packages: {@code patchcore} (PatchCore), {@code padim} (PaDiM), {@code spade} (SPADE), {@code stfpm}
 * (student-teacher feature pyramid matching), {@code students} (Uninformed Students), {@code dfr} (deep
 * feature reconstruction), {@code patchsvdd} (Patch SVDD, no pretrained weights) and {@code handcrafted}
 * (a GMM over local texture statistics and HOG at several patch sizes).
 */
package org.anomaly4j.pixel;
