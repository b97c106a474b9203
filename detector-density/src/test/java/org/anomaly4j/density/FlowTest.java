package org.anomaly4j.density;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidConfigException;

/** {@link Flow} on two-dimensional "images" whose two values lie on a parabola. */
class FlowTest {
    private static AnomalyImage point(double x, double y) {
        return AnomalyImage.of(2, 1, 1, new float[] {(float) x, (float) y});
    }

    private static ImageSet parabola(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<AnomalyImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double u = 2 * r.nextDouble() - 1;
            out.add(point(0.5 + 0.4 * u, 0.2 + 0.6 * u * u + 0.01 * r.nextGaussian()));
        }
        return ImageSet.ofNormals("parabola", out);
    }

    @Test
    void givenCurvedNormals_whenTrained_thenLikelihoodRisesAndOffCurvePointsScoreHigh() {
        ImageSet train = parabola(256, 1);
        FlowConfig cfg = FlowConfig.builder().optFeatures("pixels").optBlocks(4).optHidden(32).optEpochs(25)
                .optBatchSize(64).optLr(5e-3).optSeed(3).build();
        try (Flow f = Flow.fit(train, cfg)) {
            String[] curve = f.provenance().notes().get("loss_curve").split(",");
            double first = Double.parseDouble(curve[0]);
            double last = Double.parseDouble(curve[curve.length - 1]);
            assertTrue(last < first - 0.3, "training NLL per dimension fell from " + first + " to " + last);
            double[] normal = f.scoreAll(train.images()).stream().mapToDouble(s -> s.score()).sorted().toArray();
            double q95 = normal[(int) (0.95 * normal.length)];
            // inside both marginal ranges, far from the curve: a diagonal Gaussian would call it typical
            double off = f.score(point(0.5, 0.75)).score();
            double on = f.score(point(0.5, 0.2)).score();
            assertTrue(off > q95, "off-curve score " + off + " vs 95th percentile " + q95);
            assertTrue(on < off, "on-curve " + on + " vs off-curve " + off);
        }
    }

    @Test
    void givenOneDimensionalFeatures_whenFitted_thenRejectedNamingFeatures() {
        List<AnomalyImage> one = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            one.add(AnomalyImage.of(1, 1, 1, new float[] {i / 10f}));
        }
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> Flow.fit(ImageSet.ofNormals("one", one), FlowConfig.builder().optFeatures("pixels").build()));
        assertEquals("features", e.parameter());
    }

    @Test
    void givenConfig_whenRoundTrippedThroughParameters_thenEqual() {
        FlowConfig c = FlowConfig.builder().optBlocks(3).optClamp(2.5).optLr(1e-4).build();
        assertEquals(c, FlowConfig.fromParameters(c.toParameters()));
        assertTrue(Arrays.asList("flow").contains(c.typeId()));
    }
}
