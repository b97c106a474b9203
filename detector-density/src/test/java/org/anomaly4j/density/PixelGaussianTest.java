package org.anomaly4j.density;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.ImageScore;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidImageException;

class PixelGaussianTest {

    private static AnomalyImage constant(int w, int h, float v) {
        float[] d = new float[w * h];
        java.util.Arrays.fill(d, v);
        return AnomalyImage.of(w, h, 1, d);
    }

    @Test
    void givenTwoTrainingValuesPerPixel_whenScoring_thenMapIsTheExactZScore() {
        // train on 0.4 and 0.6 everywhere: mean 0.5, population sd 0.1
        ImageSet train = ImageSet.ofNormals("t", List.of(constant(8, 8, 0.4f), constant(8, 8, 0.6f)));
        PixelGaussianConfig c = PixelGaussianConfig.builder().optSize(8, 8).optChannels(1).optMapSigma(0)
                .optMinStd(1e-3).optScoreQuantile(1.0).build();
        try (PixelGaussian d = PixelGaussian.fit(train, c)) {
            float[] px = new float[64];
            java.util.Arrays.fill(px, 0.5f);
            px[9] = 0.8f; // z = 3 at (1,1)
            ImageScore s = d.score(AnomalyImage.of(8, 8, 1, px));
            assertEquals(3.0, s.score(), 1e-4);
            assertEquals(3.0f, s.map().orElseThrow().get(1, 1), 1e-4f);
            assertEquals(0.0f, s.map().orElseThrow().get(5, 5), 1e-4f);
        }
    }

    @Test
    void givenConstantTrainingImages_whenScoring_thenMinStdKeepsScoresFinite() {
        List<AnomalyImage> imgs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            imgs.add(constant(6, 6, 0.5f));
        }
        PixelGaussianConfig c = PixelGaussianConfig.builder().optSize(6, 6).optChannels(1).optMapSigma(0)
                .optMinStd(0.05).optScoreQuantile(1.0).build();
        try (PixelGaussian d = PixelGaussian.fit(ImageSet.ofNormals("c", imgs), c)) {
            ImageScore s = d.score(constant(6, 6, 0.6f));
            assertEquals(2.0, s.score(), 1e-4); // |0.6-0.5| / 0.05
        }
    }

    @Test
    void givenEmptyTrainingSet_whenFitting_thenClearError() {
        InvalidImageException e = assertThrows(InvalidImageException.class,
                () -> PixelGaussian.fit(ImageSet.ofNormals("none", List.of()), PixelGaussianConfig.defaults()));
        assertTrue(e.getMessage().contains("at least one"), e.getMessage());
    }
}
