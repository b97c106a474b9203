/**
 * Pixel-level feature modelling (survey section IV-B): per-patch models over pretrained or self-trained
 * features, giving pixel-accurate maps.
 *
 * <p>This package holds the small pieces the backbone-feature detectors share:
 * {@link org.anomaly4j.pixel.PatchEmbedding} (multi-level patch features: optional local average pooling,
 * resizing to one level's grid, concatenation) and {@link org.anomaly4j.pixel.PatchDetector} (backbone,
 * batched scoring in fixed-size batches so that an image scores the same alone or in a batch, the
 * reference map post-processing: bilinear upsampling and Gaussian blur). The detectors live in
 * sub-packages: {@code patchcore} (PatchCore), {@code padim} (PaDiM), {@code spade} (SPADE).
 */
package org.anomaly4j.pixel;
