package org.anomaly4j.oneclass;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.api.ImageScore;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidConfigException;
import org.anomaly4j.api.InvalidImageException;

/**
 * {@link OcSvm} end to end against scikit-learn 1.2.1: the 40 training and 8 test rows of
 * {@link OneClassSolutionTest} as 5x1 grey images, raw pixel features.
 */
class OcSvmTest {
    static final float[] X = SplitMixData.rows(40, 5, 0);
    static final float[] T = SplitMixData.rows(8, 5, 1000);

    static List<AnomalyImage> images(float[] rows, int d) {
        List<AnomalyImage> out = new ArrayList<>();
        for (int i = 0; i < rows.length / d; i++) {
            out.add(AnomalyImage.of(d, 1, 1, java.util.Arrays.copyOfRange(rows, i * d, (i + 1) * d)));
        }
        return out;
    }

    static double[] scores(List<ImageScore> s) {
        return s.stream().mapToDouble(ImageScore::score).toArray();
    }

    @Test
    void givenSklearnDefaults_whenFittedOnImages_thenScoreIsMinusSklearnDecisionFunction() {
        // OneClassSVM().fit(X).decision_function(T), offset_ (= rho), len(support_): see OneClassSolutionTest
        double[] dec = {-0.18265346168954677, -0.4249825844586641, 0.3116225525604581, -0.27642843759877556,
            -1.2498547042242003, -0.43715277513595785, 0.4318150691742173, 0.10918523169763095};
        try (OcSvm svm = OcSvm.fit(ImageSet.ofNormals("x", images(X, 5)), OcSvmConfig.defaults())) {
            assertEquals(3.712041027670215, svm.rho(), 1e-6);
            assertEquals(2.2962736077680583, svm.gamma(), 1e-12);
            assertEquals(24, svm.supportVectorCount());
            assertArrayEquals(dec, svm.decisionFunction(T, 8), 1e-6);
            double[] s = scores(svm.scoreAll(images(T, 5)));
            for (int i = 0; i < dec.length; i++) {
                assertEquals(-dec[i], s[i], 1e-6);
            }
            assertEquals("24", svm.provenance().notes().get("n_support"));
        }
    }

    @Test
    void givenNuPointOneAndGammaPointThree_whenFitted_thenMatchesSklearn() {
        // OneClassSVM(nu=0.1, gamma=0.3).fit(X).decision_function(T)
        double[] dec = {0.1519644216286271, 0.17620841149017652, 0.21703261719864564, 0.117844452307581,
            0.04108853783045552, 0.06151943674906635, 0.2398685334187567, 0.29460776414434875};
        try (OcSvm svm = OcSvm.fit(ImageSet.ofNormals("x", images(X, 5)),
                OcSvmConfig.builder().optNu(0.1).optGamma(0.3).build())) {
            assertEquals(7, svm.supportVectorCount());
            assertArrayEquals(dec, svm.decisionFunction(T, 8), 1e-6);
        }
    }

    @Test
    void givenImagesInDifferentBatches_whenScored_thenEveryScoreIsBitIdenticalToScoringAlone() {
        float[] train = SplitMixData.rows(300, 64, 5);
        float[] test = SplitMixData.rows(150, 64, 99_999);
        try (OcSvm svm = OcSvm.fit(ImageSet.ofNormals("x", images(train, 64)),
                OcSvmConfig.builder().optNu(0.2).build())) {
            List<AnomalyImage> imgs = images(test, 64);
            double[] batch = scores(svm.scoreAll(imgs));
            double[] tail = scores(svm.scoreAll(imgs.subList(37, 150)));
            for (int i = 0; i < imgs.size(); i++) {
                assertEquals(batch[i], svm.score(imgs.get(i)).score(), 0, "image " + i + " alone");
                if (i >= 37) {
                    assertEquals(batch[i], tail[i - 37], 0, "image " + i + " in another batch");
                }
            }
        }
    }

    @Test
    void givenBenchParameters_whenConfiguredByTypeId_thenItIsScikitLearnsReferenceSetup() {
        // the bench path: Detectors.configure("ocsvm", {nu=0.1}).fit(train)
        OcSvmConfig c = (OcSvmConfig) Detectors.configure("ocsvm", Map.of("nu", "0.1"));
        assertEquals("pixels", c.features());
        assertEquals(Kernel.RBF, c.kernel());
        assertEquals("scale", c.gamma());
        assertEquals(0.1, c.nu());
        assertEquals(1e-3, c.tol());
        assertTrue(c.shrinking());
        assertEquals(200, c.cacheMb());
        assertEquals(-1, c.maxIter());
        assertEquals(c, OcSvmConfig.builder().optNu(0.1).build());
        assertEquals("one-class", Detectors.provider("ocsvm").family());
    }

    @Test
    void givenSavedModel_whenLoaded_thenSklearnDecisionValuesAreKept(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("svm.a4j");
        double[] before;
        try (OcSvm svm = OcSvm.fit(ImageSet.ofNormals("x", images(X, 5)), OcSvmConfig.defaults())) {
            before = svm.decisionFunction(T, 8);
            svm.save(f);
        }
        try (OcSvm again = OcSvm.load(f)) {
            assertArrayEquals(before, again.decisionFunction(T, 8), 0);
            assertEquals(3.712041027670215, again.rho(), 1e-6);
        }
    }

    @Test
    void givenBadInput_whenFittingOrConfiguring_thenClearErrors() {
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> OcSvm.fit(ImageSet.ofNormals("none", List.of()), OcSvmConfig.defaults()));
        assertTrue(e.getMessage().contains("at least one"), e.getMessage());
        InvalidConfigException g = assertThrows(InvalidConfigException.class,
                () -> OcSvmConfig.builder().optGamma("wide").build());
        assertEquals("gamma", g.parameter());
        assertEquals("0.25", OcSvmConfig.builder().optGamma("0.25").build().gamma());
        assertEquals("auto", OcSvmConfig.builder().optGamma(" AUTO ").build().gamma());
        assertEquals("pixels:size=32,pca=20", OcSvmConfig.builder().optFeatures("pixels:size=32x32,pca=20").build()
                .features());
    }
}
