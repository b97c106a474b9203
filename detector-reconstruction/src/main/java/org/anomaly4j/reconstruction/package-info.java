/**
 * Reconstruction-based detection (survey sections III-C and IV-A): models trained on normal images
 * only, with no pretrained network, that score an image by what they fail to rebuild. One
 * configuration ({@link org.anomaly4j.reconstruction.ReconstructionConfig}, its
 * {@link org.anomaly4j.reconstruction.ReconstructionConfig.Method} is the registry id) and one
 * detector ({@link org.anomaly4j.reconstruction.ReconstructionDetector}) serve every method:
 * {@code ae} (L2 or SSIM), {@code vae} (reconstruction probability, gradient attention map),
 * {@code memae}, {@code ganomaly}, {@code f-anogan}, {@code anogan}, {@code restoration},
 * {@code riad} and {@code alocc}. The networks are small DCGAN-style blocks sized by the config and
 * the input size ({@code Nets}), all trained by the shared
 * {@link org.anomaly4j.tensor.TrainingLoop}; every method returns an image score and a pixel map at
 * the input's resolution.
 */
package org.anomaly4j.reconstruction;
