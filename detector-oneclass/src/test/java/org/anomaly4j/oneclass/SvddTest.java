package org.anomaly4j.oneclass;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidConfigException;

class SvddTest {

    private static int[] ranking(double[] s) {
        return IntStream.range(0, s.length).boxed().sorted((a, b) -> Double.compare(s[a], s[b]))
                .mapToInt(Integer::intValue).toArray();
    }

    @Test
    void givenRbfKernel_whenSvddAndOcSvmFittedWithNuEqualToOneOverCn_thenSvddScoreIsTwoCTimesOcSvmScore() {
        float[] train = SplitMixData.rows(60, 8, 3);
        float[] test = SplitMixData.rows(25, 8, 7777);
        ImageSet normals = ImageSet.ofNormals("x", OcSvmTest.images(train, 8));
        List<AnomalyImage> queries = OcSvmTest.images(test, 8);
        for (double nu : new double[] {0.1, 0.35, 0.8}) {
            try (OcSvm svm = OcSvm.fit(normals, OcSvmConfig.builder().optNu(nu).build());
                    Svdd svdd = Svdd.fit(normals, SvddConfig.builder().optNu(nu).build())) {
                double[] a = OcSvmTest.scores(svm.scoreAll(queries));
                double[] b = OcSvmTest.scores(svdd.scoreAll(queries));
                assertArrayEquals(ranking(a), ranking(b), "same ranking, nu=" + nu);
                double twoC = 2 / (nu * 60);
                assertEquals(twoC, 2 * svdd.c(), 1e-12);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(twoC * a[i], b[i], 1e-9, "query " + i + ", nu=" + nu);
                }
                assertEquals(svm.supportVectorCount(), svdd.supportVectorCount());
            }
        }
    }

    @Test
    void givenLinearKernelAndHardBall_whenFittedOnSquareCorners_thenCentreAndRadiusAreTheSquares() {
        // corners of [0,1]^2 and interior points: the smallest enclosing ball is centred at (0.5, 0.5),
        // R^2 = 0.5; score = |x - c|^2 - R^2
        float[][] pts = {{0, 0}, {1, 0}, {0, 1}, {1, 1}, {0.5f, 0.5f}, {0.25f, 0.6f}, {0.7f, 0.3f}, {0.4f, 0.9f}};
        List<AnomalyImage> imgs = Arrays.stream(pts).map(p -> AnomalyImage.of(2, 1, 1, p)).toList();
        try (Svdd svdd = Svdd.fit(ImageSet.ofNormals("sq", imgs),
                SvddConfig.builder().optKernel(Kernel.LINEAR).optC(1).optTol(1e-9).build())) {
            assertEquals(-0.5, svdd.score(AnomalyImage.of(2, 1, 1, new float[] {0.5f, 0.5f})).score(), 1e-6);
            assertEquals(0.0, svdd.score(AnomalyImage.of(2, 1, 1, new float[] {1, 1})).score(), 1e-6);
            assertEquals(4.0 - 0.5, svdd.score(AnomalyImage.of(2, 1, 1, new float[] {2.5f, 0.5f})).score(), 1e-6);
        }
    }

    @Test
    void givenSlackBelowOneOverN_whenFitting_thenRejectedNamingC() {
        ImageSet normals = ImageSet.ofNormals("x", OcSvmTest.images(SplitMixData.rows(10, 3, 0), 3));
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> Svdd.fit(normals, SvddConfig.builder().optC(0.05).build()));
        assertEquals("c", e.parameter());
    }
}
