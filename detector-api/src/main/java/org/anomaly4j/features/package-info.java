/**
 * Image-level feature sources shared by every vector detector (density and one-class families):
 * raw pixels (resized, optionally PCA-reduced), handcrafted features (HOG, gray-level statistics),
 * and pooled backbone features. One notion, {@link org.anomaly4j.features.FeatureExtractor}, fitted
 * from a {@link org.anomaly4j.features.FeatureSpec} on the training images and saved with the detector.
 *
 * <pre>{@code
 * FeatureSpec spec = FeatureSpec.parse("pixels:pca=50");          // a detector's "features" parameter
 * try (FeatureExtractor fx = spec.fit(train, seed, listener)) {   // resolves defaults, fits the PCA
 *     float[] rows = fx.extractAll(train.images(), listener);     // n x fx.dimension(), row-major
 *     float[] one = fx.extract(image);                            // thread-safe
 *     fx.write(archiveBuilder, "features.");                      // fitted spec + PCA tensors
 * }
 * FeatureExtractor again = spec.restore(ModelArchive.read(file), "features.");
 * }</pre>
 *
 * <ul>
 *   <li>Spec strings: {@code pixels[:size=WxH|N,channels=1|3,blur=SIGMA,power=P,pca=N|F,whiten=true]}
 *       ({@code blur}, {@code power}: the tone step of {@link org.anomaly4j.api.Preprocessing#tone}, e.g.
 *       {@code pixels:blur=1,power=0.5}),
 *       {@code hog[:size=WxH|N,pca=...,whiten=...]},
 *       {@code backbone:<backbone spec>[,pool=avg|max|avgmax][,levels=2,3][,size=N][,seed=N][,pca=...]};
 *       see {@link org.anomaly4j.features.FeatureSpec} for the grammar and defaults.</li>
 *   <li>Pixel and HOG features are plain Java, computed over chunks of images on the common fork-join
 *       pool with no engine call: on 2 cores, about 10,000 Fashion-MNIST-sized images a few tens of
 *       milliseconds (pixels) or a second or two (HOG at 64x64).</li>
 *   <li>PCA ({@code pca=N} or a variance fraction) follows scikit-learn's conventions
 *       ({@link org.anomaly4j.tensor.Pca}); large fits use block subspace iteration.</li>
 *   <li>Persistence: under the caller's prefix, a tensor {@code spec} (the fitted canonical spec, which
 *       records every data-dependent choice: size, channels, backbone levels and seed) and the PCA's
 *       {@code pca.mean}, {@code pca.components}, {@code pca.variance}, {@code pca.total}.
 *       <b>A backbone's own weights are not copied into the detector archive</b>: the spec names the
 *       weights file (or the seed of a random backbone), and that file must still exist, unchanged, where
 *       the spec says when the detector is loaded.</li>
 * </ul>
 */
package org.anomaly4j.features;
