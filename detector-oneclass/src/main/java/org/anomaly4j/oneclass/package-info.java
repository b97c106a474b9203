/**
 * One-class classification (survey section III-B): a boundary around the normal data.
 *
 * <ul>
 *   <li>{@link org.anomaly4j.oneclass.OcSvm} ({@code "ocsvm"}): Schölkopf's one-class SVM, the
 *       ν-formulation solved exactly as libsvm / scikit-learn's {@code OneClassSVM} do (same start,
 *       SMO with second-order working-set selection, shrinking, kernel-row cache), on the vectors of a
 *       {@link org.anomaly4j.features.FeatureSpec}; kernels rbf (gamma {@code scale}, {@code auto} or a
 *       number), linear, poly and sigmoid.</li>
 *   <li>{@link org.anomaly4j.oneclass.Svdd} ({@code "svdd"}): Tax and Duin's support vector data
 *       description, the smallest kernel ball with slack, by the same solver; with the RBF kernel
 *       it is the one-class SVM up to a factor of its score.</li>
 *   <li>{@link org.anomaly4j.oneclass.DeepSvdd} ({@code "deep-svdd"}): Ruff et al.'s Deep SVDD, a
 *       bias-free CNN trained by the shared {@link org.anomaly4j.tensor.TrainingLoop} to map normal
 *       images close to a centre (one-class or soft-boundary objective, optional autoencoder
 *       pretraining).</li>
 * </ul>
 *
 * Scores: higher is more anomalous; none of these detectors produces pixel maps.
 */
package org.anomaly4j.oneclass;
