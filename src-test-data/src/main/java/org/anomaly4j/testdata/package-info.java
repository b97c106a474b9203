/**
 * Deterministic synthetic data sets for tests and demos: small labelled images of textures
 * ({@code weave}, {@code grain}, {@code grid}) and objects ({@code disc}, {@code nut},
 * {@code tile}) with planted defects ({@code scratch}, {@code hole}, {@code stain},
 * {@code crack}, {@code missing}) and exact ground-truth masks.
 *
 * <p>Every module's tests and the {@code demo} command draw their data from here, so nothing in
 * a test needs a downloaded data set. Entry points: {@link org.anomaly4j.testdata.SyntheticDefects}
 * ({@code small(seed)} for unit tests, {@code demo(seed)} and {@code demoCategories(seed)} for the
 * demo) and {@link org.anomaly4j.testdata.SyntheticConfig} for anything else.
 *
 * <p>Guarantees: the same configuration (seed included) gives bitwise identical images and masks
 * on every JVM (the generator uses its own SplitMix64 stream and {@link java.lang.StrictMath});
 * every value is a multiple of 1/255, so images survive an 8-bit PNG round trip unchanged; and a
 * mask holds exactly the pixels the defect changed (see {@link org.anomaly4j.testdata.Sample}).
 */
package org.anomaly4j.testdata;
