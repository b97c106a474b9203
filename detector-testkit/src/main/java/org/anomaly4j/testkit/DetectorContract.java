package org.anomaly4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.Calibration;
import org.anomaly4j.api.Detector;
import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.api.ImageScore;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidConfigException;
import org.anomaly4j.api.LabeledImage;
import org.anomaly4j.api.PixelMap;
import org.anomaly4j.data.DatasetSplit;
import org.anomaly4j.metrics.Metrics;
import org.anomaly4j.tensor.NativeResourceOwner;
import org.anomaly4j.testdata.SyntheticDefects;

/**
 * The contract every detector keeps. Extend it in a test, supply {@link #config(long)} and
 * {@link #invalidParameters()}, optionally {@link #data()} and {@link #minimumAuroc()}:
 *
 * <pre>{@code
 * class MyDetectorTest extends DetectorContract {
 *     protected DetectorConfig<?> config(long seed) { return MyConfig.builder().optSeed(seed).build(); }
 *     protected List<Map<String, String>> invalidParameters() { return List.of(Map.of("k", "0")); }
 * }
 * }</pre>
 *
 * <p>It fits once per class (plus once more for the determinism check) and checks: finite scores;
 * maps at the input's resolution (also for an input of another size and channel count); the same
 * seed gives identical scores; planted anomalies score above normals (AUROC at least
 * {@link #minimumAuroc()}); save then load gives identical scores, provenance and calibration;
 * four threads give the serial scores; scoring leaves no native tensor behind; {@code close()}
 * twice is safe and scoring after it fails clearly; invalid parameters are rejected with a
 * message naming them; calibration maps scores to [0,1] with 0.5 at the threshold.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class DetectorContract {
    /** The seed of the fitted detector under test. */
    protected static final long SEED = 7;

    private DatasetSplit split;
    private Detector detector;
    private List<ImageScore> serial;

    /** A valid configuration with the given seed; keep it small (tiny networks, few epochs). */
    protected abstract DetectorConfig<?> config(long seed);

    /**
     * Parameter sets that must be rejected by the detector's provider (each with
     * {@link InvalidConfigException} naming one of its keys).
     */
    protected abstract List<Map<String, String>> invalidParameters();

    /** The data: normal training images and a labelled test set with planted anomalies. */
    protected DatasetSplit data() {
        return SyntheticDefects.small(11);
    }

    /** The AUROC the detector must reach on {@link #data()}'s test set. */
    protected double minimumAuroc() {
        return 0.9;
    }

    /** The fitted detector under test. */
    protected final Detector detector() {
        return detector;
    }

    /** The data in use. */
    protected final DatasetSplit split() {
        return split;
    }

    @BeforeAll
    final void fitOnce() {
        split = data();
        assertFalse(split.train().isEmpty(), "data() must supply training images");
        assertTrue(split.test().anomalousCount() > 0, "data() must supply anomalous test images");
        detector = config(SEED).fit(split.train());
        serial = detector.scoreAll(split.test().images());
    }

    @AfterAll
    final void closeDetector() {
        if (detector != null) {
            detector.close();
        }
    }

    @Test
    void givenFittedDetector_whenScoringTestSet_thenEveryScoreIsFinite() {
        for (int i = 0; i < serial.size(); i++) {
            ImageScore s = serial.get(i);
            assertTrue(Double.isFinite(s.score()), "score of " + split.test().get(i).id() + " is " + s.score());
            s.map().ifPresent(m -> {
                for (float v : m.toArray()) {
                    assertTrue(Float.isFinite(v), "map value " + v);
                }
            });
        }
    }

    @Test
    void givenFittedDetector_whenScoring_thenMapShapeEqualsInputShape() {
        assertEquals(detector.producesMaps(), serial.get(0).map().isPresent(),
                "producesMaps() must say whether scores carry maps");
        assumeTrue(detector.producesMaps(), "detector makes no maps");
        for (int i = 0; i < serial.size(); i++) {
            AnomalyImage img = split.test().get(i).image();
            PixelMap m = serial.get(i).map().orElseThrow();
            assertEquals(img.width(), m.width(), "map width");
            assertEquals(img.height(), m.height(), "map height");
        }
        AnomalyImage first = split.test().get(0).image();
        AnomalyImage odd = first.resize(first.width() + 13, first.height() + 7).toGrey();
        PixelMap m = detector.score(odd).map().orElseThrow();
        assertEquals(odd.width(), m.width(), "map width for a differently sized grey input");
        assertEquals(odd.height(), m.height(), "map height for a differently sized grey input");
    }

    @Test
    void givenSameSeed_whenFittedTwice_thenScoresAreIdentical() {
        try (Detector again = config(SEED).fit(split.train())) {
            List<ImageScore> s = again.scoreAll(split.test().images());
            assertArrayEquals(scores(serial), scores(s), "same seed must give identical scores");
        }
    }

    @Test
    void givenPlantedAnomalies_whenScoring_thenTheyScoreAboveNormals() {
        ImageSet test = split.test();
        boolean[] y = new boolean[test.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = test.get(i).isAnomalous();
        }
        double auroc = Metrics.auroc(scores(serial), y);
        assertTrue(auroc >= minimumAuroc(), "image AUROC " + auroc + " below the bound " + minimumAuroc());
    }

    @Test
    void givenSavedDetector_whenLoaded_thenScoresProvenanceAndCalibrationAreIdentical(@TempDir Path dir)
            throws Exception {
        Calibration cal = Calibration.fromNormalScores(scores(serial), 0.9);
        detector.calibrate(cal);
        Path file = dir.resolve("model.a4j");
        detector.save(file);
        assertTrue(Files.size(file) > 0);
        try (Detector loaded = Detectors.load(file)) {
            assertEquals(detector.typeId(), loaded.typeId());
            assertEquals(detector.getClass(), loaded.getClass());
            assertEquals(detector.config(), loaded.config());
            assertEquals(detector.provenance(), loaded.provenance());
            assertEquals(cal, loaded.calibration().orElseThrow());
            List<ImageScore> again = loaded.scoreAll(split.test().images());
            assertArrayEquals(scores(serial), scores(again), "loaded detector must score identically");
            for (int i = 0; i < again.size(); i++) {
                assertEquals(serial.get(i).map(), again.get(i).map(), "map of image " + i);
                assertEquals(cal.normalize(serial.get(i).score()), again.get(i).normalized().orElseThrow(), 1e-12);
            }
        }
    }

    @Test
    void givenFourThreads_whenScoringConcurrently_thenScoresEqualSerial() throws Exception {
        List<AnomalyImage> imgs = split.test().images();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<double[]>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                final int offset = t;
                futures.add(pool.submit(() -> {
                    double[] out = new double[imgs.size()];
                    for (int k = 0; k < imgs.size(); k++) {
                        int i = (k + offset * 3) % imgs.size(); // different orders per thread
                        out[i] = detector.score(imgs.get(i)).score();
                    }
                    return out;
                }));
            }
            for (Future<double[]> f : futures) {
                assertArrayEquals(scores(serial), f.get(), "concurrent scores differ from serial ones");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void givenFittedDetector_whenScoringRepeatedly_thenNoNativeTensorIsLeft() {
        assumeTrue(detector instanceof NativeResourceOwner,
                detector.getClass().getSimpleName() + " does not report its native tensors (NativeResourceOwner)");
        NativeResourceOwner owner = (NativeResourceOwner) detector;
        AnomalyImage img = split.test().get(0).image();
        detector.score(img);
        int before = owner.liveTensorCount();
        for (int i = 0; i < 20; i++) {
            detector.score(split.test().get(i % split.test().size()).image());
        }
        assertEquals(before, owner.liveTensorCount(), "scoring left native tensors behind");
    }

    @Test
    void givenDetector_whenClosedTwice_thenSecondCloseIsHarmlessAndScoringFails() {
        Detector d = config(SEED).fit(split.train());
        d.close();
        assertDoesNotThrow(d::close);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> d.score(split.test().get(0).image()));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void givenInvalidParameters_whenConfiguring_thenRejectedWithMessageNamingTheParameter() {
        List<Map<String, String>> bad = invalidParameters();
        assertFalse(bad.isEmpty(), "supply at least one invalid parameter set");
        for (Map<String, String> params : bad) {
            InvalidConfigException e = assertThrows(InvalidConfigException.class,
                    () -> Detectors.configure(detector.typeId(), params), "accepted " + params);
            assertTrue(params.containsKey(e.parameter()) || e.getMessage().contains(e.parameter()),
                    "message should name one of " + params.keySet() + ": " + e.getMessage());
        }
        InvalidConfigException unknown = assertThrows(InvalidConfigException.class,
                () -> Detectors.configure(detector.typeId(), Map.of("no_such_parameter", "1")));
        assertEquals("no_such_parameter", unknown.parameter());
    }

    @Test
    void givenConfig_whenRoundTrippedThroughParameters_thenEqual() {
        DetectorConfig<?> c = config(SEED);
        assertEquals(c, Detectors.configure(c.typeId(), c.toParameters()));
    }

    @Test
    void givenNormalScoreCalibration_whenScoring_thenNormalisedScoresAreInUnitRangeWithHalfAtThreshold() {
        Calibration cal = Calibration.fromNormalScores(scores(serial), 0.5);
        assertEquals(0.5, cal.normalize(cal.threshold()), 1e-12);
        for (ImageScore s : serial) {
            double n = cal.normalize(s.score());
            assertTrue(n >= 0 && n <= 1, "normalised " + n);
            assertEquals(cal.isAnomalous(s.score()), n > 0.5);
        }
    }

    @Test
    void givenTrainingSetWithAnomalousImage_whenFitting_thenRejected() {
        LabeledImage bad = split.test().stream().filter(LabeledImage::isAnomalous).findFirst().orElseThrow();
        ImageSet poisoned = split.train().concat(new ImageSet("bad", List.of(bad)));
        assertThrows(IllegalArgumentException.class, () -> config(SEED).fit(poisoned).close());
    }

    private static double[] scores(List<ImageScore> s) {
        return s.stream().mapToDouble(ImageScore::score).toArray();
    }
}
