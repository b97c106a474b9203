package org.anomaly4j.oneclass;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.Detector;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.io.CorruptModelException;
import org.anomaly4j.io.ModelArchive;

/**
 * Models saved in format version 1 by anomaly4j 0.1.0 must keep loading and scoring the same. The
 * fixtures were made by:
 * <ul>
 *   <li>{@code ocsvm-format1.a4j}: {@code OcSvm} with the defaults (seed 3) on the 40 rows of
 *       {@link OneClassSolutionTest} as 5x1 grey images, calibrated on normal scores
 *       {-0.5, -0.2, 0, 0.1} at the 0.9 quantile;</li>
 *   <li>{@code svdd-format1.a4j}: {@code Svdd} with kernel poly, gamma auto, coef0 1, nu 0.2 (seed 3)
 *       on the same images;</li>
 *   <li>{@code deep-svdd-format1.a4j}: {@code DeepSvdd} 16x16 grey, filters 4 and 2, rep_dim 8,
 *       1 pretraining and 2 soft-boundary epochs (nu 0.2, warm-up 1), lr 1e-3, batch 8, seed 3, on
 *       the 12 stripe images of {@link DeepSvddTest} (seeded 1).</li>
 * </ul>
 */
class SavedFormatTest {
    private static final Path MODELS = Path.of("src/test/resources/models");

    private static AnomalyImage firstTestRow() {
        return AnomalyImage.of(5, 1, 1, Arrays.copyOfRange(SplitMixData.rows(8, 5, 1000), 0, 5));
    }

    @Test
    void givenOcSvmFixture_whenLoaded_thenScoresAsSklearnAndAsWhenSaved() throws Exception {
        try (Detector d = Detectors.load(MODELS.resolve("ocsvm-format1.a4j"))) {
            assertEquals("ocsvm", d.typeId());
            assertEquals(3, d.provenance().seed());
            assertEquals(40, d.provenance().trainImages());
            var s = d.score(firstTestRow());
            assertEquals(0.18265346168954677, s.score(), 1e-6); // -decision_function of scikit-learn
            assertEquals(0.18265345296511404, s.score(), 1e-9);
            assertEquals(0.6048679196258475, s.normalized().orElseThrow(), 1e-6);
            OcSvm svm = (OcSvm) d;
            assertEquals(24, svm.supportVectorCount());
            assertArrayEquals(new double[] {-0.18265346168954677}, svm.decisionFunction(
                    Arrays.copyOfRange(SplitMixData.rows(8, 5, 1000), 0, 5), 1), 1e-6);
        }
    }

    @Test
    void givenSvddFixture_whenLoaded_thenScoresAsWhenSaved() throws Exception {
        try (Detector d = Detectors.load(MODELS.resolve("svdd-format1.a4j"))) {
            assertEquals("svdd", d.typeId());
            assertEquals(-0.18096495500974275, d.score(firstTestRow()).score(), 1e-9);
        }
    }

    @Test
    void givenDeepSvddFixture_whenLoaded_thenScoresAsWhenSaved() throws Exception {
        float[] q = new float[256];
        for (int i = 0; i < q.length; i++) {
            q[i] = ((i * 7) % 13) / 12f;
        }
        try (DeepSvdd d = DeepSvdd.load(MODELS.resolve("deep-svdd-format1.a4j"))) {
            assertEquals(13.990771391835708, d.radiusSquared(), 1e-9);
            assertEquals(-12.556810000386733, d.score(AnomalyImage.of(16, 16, 1, q)).score(), 1e-4);
            assertEquals(2, d.provenance().notes().get("loss_curve").split(",").length);
        }
    }

    @Test
    void givenArchiveWithInconsistentTensors_whenLoaded_thenCorruptModelException(@TempDir Path dir)
            throws Exception {
        ModelArchive a = ModelArchive.read(MODELS.resolve("ocsvm-format1.a4j"));
        Path f = dir.resolve("bad.a4j");
        ModelArchive.Builder b = ModelArchive.builder(a.typeId()).config(a.config()).provenance(a.provenance());
        for (String name : a.tensorNames()) {
            b.tensor(name.equals("coef") ? new org.anomaly4j.io.TensorData("coef", new long[] {3, 2}, new float[6])
                    : a.tensor(name));
        }
        b.writeTo(f);
        assertThrows(CorruptModelException.class, () -> Detectors.load(f));
        ModelArchive.builder(a.typeId()).config(Map.of("nu", "7")).provenance(a.provenance()).writeTo(f);
        assertThrows(CorruptModelException.class, () -> Detectors.load(f));
        ModelArchive d = ModelArchive.read(MODELS.resolve("deep-svdd-format1.a4j"));
        ModelArchive.Builder db = ModelArchive.builder(d.typeId()).config(d.config()).provenance(d.provenance());
        for (String name : d.tensorNames()) {
            db.tensor(name.equals("param.0") ? new org.anomaly4j.io.TensorData("param.0", new long[] {1}, new float[1])
                    : d.tensor(name));
        }
        db.writeTo(f);
        assertThrows(CorruptModelException.class, () -> Detectors.load(f));
    }
}
