package org.anomaly4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.Calibration;
import org.anomaly4j.api.Detector;
import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.ImageScore;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.Label;
import org.anomaly4j.api.LabeledImage;
import org.anomaly4j.api.Mask;
import org.anomaly4j.api.PixelMap;
import org.anomaly4j.api.Provenance;
import org.junit.jupiter.api.Test;

class EvaluationTest {
    private static final int W = 24;
    private static final int H = 16;

    /** Scores an image by its mean brightness; its map is the grey image itself. */
    private static final class BrightnessDetector implements Detector {
        private final boolean maps;

        BrightnessDetector(boolean maps) {
            this.maps = maps;
        }

        @Override
        public String typeId() {
            return maps ? "test-brightness" : "test-brightness-nomap";
        }

        @Override
        public DetectorConfig<?> config() {
            return null;
        }

        @Override
        public boolean producesMaps() {
            return maps;
        }

        @Override
        public ImageScore score(AnomalyImage image) {
            float[] v = image.toGrey().toArray();
            double sum = 0;
            for (float f : v) {
                sum += f;
            }
            return new ImageScore(sum / v.length, maps ? PixelMap.of(image.width(), image.height(), v) : null);
        }

        @Override
        public Provenance provenance() {
            return new Provenance("anomaly4j-test", "-", "-", "cpu", 0, "none", 5, "now", Map.of());
        }

        @Override
        public Optional<Calibration> calibration() {
            return Optional.empty();
        }

        @Override
        public void calibrate(Calibration calibration) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void save(Path file) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    /** A flat grey image of {@code bg} with an s x t rectangle of {@code value} at (x0, y0); its mask. */
    private static LabeledImage image(String id, String type, int w, int h, double bg, int x0, int y0, int s, int t,
            double value) {
        float[] px = new float[w * h];
        Arrays.fill(px, (float) bg);
        boolean[] m = new boolean[w * h];
        for (int y = y0; y < y0 + t; y++) {
            for (int x = x0; x < x0 + s; x++) {
                px[y * w + x] = (float) value;
                m[y * w + x] = true;
            }
        }
        boolean anomalous = s > 0;
        return new LabeledImage(id, AnomalyImage.of(w, h, 1, px), anomalous ? Label.ANOMALOUS : Label.NORMAL,
                anomalous ? type : "good", Mask.of(w, h, m), null);
    }

    /**
     * Normal means 0.20, 0.22, 0.24, 0.26, 0.28. Anomalous means (W x H = 384 pixels):
     * scratch-a 0.27 + 16 * 0.68 / 384 = 0.298, scratch-b 0.26 + 18 * 0.69 / 384 = 0.292,
     * spot-a 0.29 + 16 * 0.71 / 384 = 0.320 (all above every normal), spot-b
     * 0.24 + 4 * 0.66 / 384 = 0.247 (above three normals of five). Image AUROC = (5 + 5 + 5 + 3) / 20
     * = 0.9; scratch alone 1.0; spot alone (5 + 3) / 10 = 0.8. Every defect pixel (>= 0.9) is
     * brighter than every background pixel (<= 0.29), so pixel AUROC and AUPRO are 1.
     */
    private static ImageSet testSet() {
        List<LabeledImage> items = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            items.add(image("good-" + i, "good", W, H, 0.20 + 0.02 * i, 0, 0, 0, 0, 0));
        }
        items.add(image("scratch-a", "scratch", W, H, 0.27, 3, 3, 4, 4, 0.95));
        items.add(image("scratch-b", "scratch", W, H, 0.26, 10, 5, 6, 3, 0.95));
        items.add(image("spot-a", "spot", W, H, 0.29, 15, 9, 4, 4, 1.0));
        items.add(image("spot-b", "spot", W, H, 0.24, 20, 12, 2, 2, 0.9));
        return new ImageSet("toy", items);
    }

    @Test
    void givenBrightnessDetector_whenRun_thenImageAndPixelMetricsAsComputedByHand() {
        AtomicLong events = new AtomicLong();
        long[] last = new long[2];
        EvaluationReport r = Evaluation.run(new BrightnessDetector(true), testSet(), "toy-data", 1.5, 5,
                (stage, done, total) -> {
                    assertEquals("score", stage);
                    events.incrementAndGet();
                    last[0] = done;
                    last[1] = total;
                });
        assertEquals(9, events.get());
        assertEquals(9, last[0]);
        assertEquals(9, last[1]);
        assertEquals("test-brightness", r.method());
        assertEquals("toy-data", r.dataset());
        assertEquals(0.9, r.imageAuroc(), 1e-12);
        assertEquals(1.0, r.pixelAuroc(), 0);
        assertEquals(1.0, r.aupro(), 0);
        assertEquals(List.of(new EvaluationReport.DefectRow("scratch", 2, 1.0),
                new EvaluationReport.DefectRow("spot", 2, 0.8)), r.perType());
        assertEquals(9, r.testImages());
        assertEquals(5, r.trainImages());
        assertEquals(1.5, r.fitSeconds());
        assertTrue(r.scoreImagesPerSecond() > 0);
        assertEquals(9L * W * H, r.extra().get("pixel_count"));
        assertEquals(4, r.extra().get("pixel_regions"));
        assertEquals(false, r.extra().get("pixel_downscaled"));
        // F1-max: flag everything >= spot-b's score: 4 true positives, 2 false positives (0.26, 0.28)
        // -> F1 = 8 / (8 + 2) = 0.8; flagging only the top three gives 6 / (6 + 1) = 0.857 (best)
        assertEquals(6.0 / 7.0, r.f1Max(), 1e-12);
        double[] scores = Evaluation.evaluate(new BrightnessDetector(true), testSet(), "toy", 0, 5, false,
                null).scores();
        assertEquals(scores[6], r.f1Threshold(), 0); // scratch-b is the third-highest: 0.320 > 0.298 > 0.292
        assertEquals(Metrics.averagePrecision(scores, new boolean[] {false, false, false, false, false, true, true,
            true, true}), r.imageAupr(), 0);
    }

    @Test
    void givenKeepMaps_whenEvaluated_thenScoresIdsAndMapsInTestOrder() {
        ImageSet test = testSet();
        EvaluationResult res = Evaluation.evaluate(new BrightnessDetector(true), test, "toy", Double.NaN, -1, true,
                null);
        assertEquals(test.items().stream().map(LabeledImage::id).toList(), res.ids());
        assertEquals(9, res.maps().size());
        assertEquals(W, res.maps().get(0).width());
        assertEquals(0.95f, res.maps().get(5).get(3, 3), 0);
        assertEquals(0.20, res.scores()[0], 1e-6);
        Map<String, Object> m = res.report().toMap();
        assertNull(m.get("fit_seconds"));
        assertNull(m.get("train_images"));
    }

    @Test
    void givenDetectorWithoutMaps_whenRun_thenPixelMetricsAbsent() {
        EvaluationReport r = Evaluation.run(new BrightnessDetector(false), testSet());
        assertEquals(0.9, r.imageAuroc(), 1e-12);
        assertTrue(Double.isNaN(r.pixelAuroc()) && Double.isNaN(r.aupro()));
        assertNull(r.toMap().get("pixel_auroc"));
        assertNull(r.toMap().get("aupro"));
        assertEquals("toy", r.dataset());
        assertEquals(5, r.trainImages());
        assertTrue(String.valueOf(r.extra().get("pixel_metrics_skipped")).contains("no maps"));
        assertTrue(Evaluation.evaluate(new BrightnessDetector(false), testSet(), "toy", 0, 5, true, null)
                .maps().isEmpty());
    }

    @Test
    void givenAnomalousImageWithoutMask_whenRun_thenPixelMetricsSkippedAndNamed() {
        List<LabeledImage> items = new ArrayList<>(testSet().items());
        LabeledImage a = items.get(5);
        items.set(5, new LabeledImage(a.id(), a.image(), a.label(), a.defectType(), null, null));
        EvaluationReport r = Evaluation.run(new BrightnessDetector(true), new ImageSet("toy", items));
        assertTrue(Double.isNaN(r.pixelAuroc()));
        assertTrue(String.valueOf(r.extra().get("pixel_metrics_skipped")).contains("scratch-a"));
    }

    @Test
    void givenImagesLargerThanLimit_whenRun_thenDownscaledAndStillPerfect() {
        List<LabeledImage> items = new ArrayList<>();
        items.add(image("n0", "good", 300, 200, 0.2, 0, 0, 0, 0, 0));
        items.add(image("n1", "good", 300, 200, 0.3, 0, 0, 0, 0, 0));
        items.add(image("a0", "blob", 300, 200, 0.25, 100, 60, 60, 40, 0.9));
        EvaluationReport r = Evaluation.run(new BrightnessDetector(true), new ImageSet("big", items), "big", 0, 0,
                null);
        assertEquals(true, r.extra().get("pixel_downscaled"));
        assertEquals(3L * 256 * 171, r.extra().get("pixel_count")); // 300x200 -> 256x171
        // the antialiased downscale blends a few pixels along the defect's edge: nearly, not exactly, 1
        assertEquals(1.0, r.aupro(), 1e-3);
        assertEquals(1.0, r.pixelAuroc(), 1e-3);
    }

    @Test
    void givenOneClassOrUnknownLabels_whenRun_thenIllegalArgument() {
        ImageSet normals = testSet().normals();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Evaluation.run(new BrightnessDetector(true), normals));
        assertTrue(e.getMessage().contains("both normal and anomalous"), e.getMessage());
        List<LabeledImage> items = new ArrayList<>(testSet().items());
        LabeledImage a = items.get(0);
        items.set(0, new LabeledImage("mystery", a.image(), Label.UNKNOWN, null, null, null));
        IllegalArgumentException u = assertThrows(IllegalArgumentException.class,
                () -> Evaluation.run(new BrightnessDetector(true), new ImageSet("toy", items)));
        assertTrue(u.getMessage().contains("mystery"), u.getMessage());
    }
}
