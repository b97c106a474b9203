package org.anomaly4j.density;


/**
 * What the density detectors' contract tests share, and why.
 *
 * <p>The contract's default data are 64x64 RGB "grain" textures: every image is a new noise field, and
 * the planted defects are small. Image-level raw pixels carry next to no information about them:
 * measured on {@code SyntheticDefects.small(11)} (the contract's data) with
 * {@code pixels:size=32x32,pca=20}, the AUROCs were gaussian 0.45, gmm 0.62, kde 0.53, knn 0.62 (chance);
 * {@code pixels:size=16,channels=1} reached 0.81-0.83. HOG with gray-level statistics ({@code hog}, 64x64,
 * 1,800 values) summarises local gradients and intensities, which a defect changes: gaussian 1.00, gmm
 * (diagonal, BIC up to 3) 1.00, kde 0.97, knn 1.00; at 48x48 (936 values) the Gaussian reached 0.94 (0.93
 * on seed 13). So the tests use HOG features and keep the contract's bound of 0.9, which each detector
 * reaches honestly on the contract's data. The Gaussian uses 48x48 HOG because its 1,800 x 1,800
 * Cholesky factorisations would take seconds per fit (the contract fits three times); the mixture uses
 * diagonal covariances for the same reason (full covariances are checked step for step against
 * scikit-learn in {@link GaussianMixtureTest}).
 */
final class ContractData {
    /** HOG and gray-level statistics of the 64x64 images. */
    static final String HOG = "hog";
    /** The same at 48x48 (936 values). */
    static final String HOG_48 = "hog:size=48";

    private ContractData() {
    }
}
