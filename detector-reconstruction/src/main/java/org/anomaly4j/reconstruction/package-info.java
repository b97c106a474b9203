/**
 * Reconstruction-based detection (survey sections III-C, IV-A): models that rebuild normal images and score by what they fail to rebuild. Autoencoders, VAE, memory AE, GANomaly, AnoGAN / f-AnoGAN, restoration and inpainting arrive here (issue 6).
 */
package org.anomaly4j.reconstruction;
