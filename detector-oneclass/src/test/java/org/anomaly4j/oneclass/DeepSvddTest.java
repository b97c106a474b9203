package org.anomaly4j.oneclass;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.ImageScore;
import org.anomaly4j.api.ImageSet;

class DeepSvddTest {

    /** 16x16 grey images of a seeded stripe pattern with jitter. */
    private static List<AnomalyImage> stripes(int n, long seed) {
        List<AnomalyImage> out = new ArrayList<>();
        java.util.Random r = new java.util.Random(seed);
        for (int k = 0; k < n; k++) {
            float[] px = new float[256];
            double phase = r.nextDouble() * 2;
            for (int i = 0; i < 256; i++) {
                px[i] = (float) (0.5 + 0.3 * Math.sin((i % 16 + phase) * 0.8) + 0.05 * r.nextGaussian());
            }
            out.add(AnomalyImage.of(16, 16, 1, px));
        }
        return out;
    }

    private static DeepSvddConfig.Builder tiny() {
        return DeepSvddConfig.builder().optSize(16, 16).optChannels(1).optFilters(4, 2).optRepDim(8)
                .optPretrainEpochs(1).optEpochs(2).optLr(1e-3).optBatchSize(8).optSeed(3);
    }

    @Test
    void givenMeanRepresentation_whenCoordinatesAreNearZero_thenTheyArePushedToPlusMinusEps() {
        float[] c = DeepSvdd.pushFromZero(new double[] {0.05, -0.05, 0.0, 0.3, -0.2, 0.1}, 0.1);
        assertArrayEquals(new float[] {0.1f, -0.1f, 0f, 0.3f, -0.2f, 0.1f}, c);
    }

    @Test
    void givenImage_whenContrastNormalised_thenZeroMeanAndUnitMeanAbsoluteDeviation() {
        float[] x = {0, 1, 2, 3, 9, 9};
        DeepSvddNet.gcn(x, 2, 4); // only 2, 3, 9, 9: mean 5.75, mean |dev| 3.25
        assertArrayEquals(new float[] {0, 1, (float) (-3.75 / 3.25), (float) (-2.75 / 3.25), (float) (3.25 / 3.25),
            (float) (3.25 / 3.25)}, x, 1e-6f);
        float[] flat = {0.4f, 0.4f, 0.4f};
        DeepSvddNet.gcn(flat, 0, 3);
        assertArrayEquals(new float[] {0, 0, 0}, flat);
    }

    @Test
    void givenEncoder_whenInspected_thenItHasNoBiasAndNoTrainableBatchNormAffine() {
        try (DeepSvdd d = DeepSvdd.fit(ImageSet.ofNormals("s", stripes(12, 1)), tiny().optPretrainEpochs(0).build())) {
            int trainable = 0;
            for (Pair<String, Parameter> p : DeepSvddNet.encoder(d.config()).getParameters()) {
                assertFalse(p.getKey().toLowerCase().contains("bias"), p.getKey());
                if (p.getValue().getType() == Parameter.Type.GAMMA || p.getValue().getType() == Parameter.Type.BETA) {
                    assertFalse(p.getValue().requiresGradient(), p.getKey() + " must not be trained");
                }
                if (p.getValue().requiresGradient()) {
                    trainable++;
                }
            }
            assertEquals(3, trainable, "two convolution kernels and one linear map");
            assertEquals(8, d.center().length);
            for (float v : d.center()) {
                assertTrue(v == 0 || Math.abs(v) >= 0.1f - 1e-7f, "centre coordinate " + v);
            }
        }
    }

    @Test
    void givenPretrainingAndTraining_whenFitted_thenBothLossCurvesAreInTheProvenance() {
        try (DeepSvdd d = DeepSvdd.fit(ImageSet.ofNormals("s", stripes(12, 1)), tiny().optPretrainEpochs(2)
                .optEpochs(3).build())) {
            assertEquals(2, d.provenance().notes().get("pretrain_loss_curve").split(",").length);
            assertEquals(3, d.provenance().notes().get("loss_curve").split(",").length);
            assertEquals(0.0, d.radiusSquared());
        }
    }

    @Test
    void givenSoftBoundary_whenWarmupIsOver_thenRadiusIsSetAndScoresAreDistanceMinusRadius() {
        List<AnomalyImage> train = stripes(24, 2);
        try (DeepSvdd d = DeepSvdd.fit(ImageSet.ofNormals("s", train), tiny().optObjective(
                DeepSvddConfig.Objective.SOFT_BOUNDARY).optNu(0.2).optWarmupEpochs(1).optEpochs(3).build())) {
            assertTrue(d.radiusSquared() > 0, "R^2 = " + d.radiusSquared());
            double outside = 0;
            for (ImageScore s : d.scoreAll(train)) {
                assertTrue(s.score() + d.radiusSquared() >= 0);
                outside += s.score() > 0 ? 1 : 0;
            }
            assertTrue(outside < train.size(), "not every training image may lie outside the sphere");
        }
    }

    @Test
    void givenMoreImagesThanOneBlock_whenScored_thenEachScoreEqualsScoringAlone() {
        try (DeepSvdd d = DeepSvdd.fit(ImageSet.ofNormals("s", stripes(12, 1)), tiny().build())) {
            List<AnomalyImage> imgs = stripes(DeepSvdd.BLOCK * 2 + 5, 9);
            List<ImageScore> all = d.scoreAll(imgs);
            for (int i = 0; i < imgs.size(); i += 7) {
                assertEquals(all.get(i).score(), d.score(imgs.get(i)).score(), 0, "image " + i);
            }
        }
    }
}
