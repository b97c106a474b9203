package org.anomaly4j.density;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.Detector;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.api.ImageScore;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.io.DetectorTypeMismatchException;
import org.anomaly4j.io.ModelArchive;

/**
 * A model saved in format version 1 by anomaly4j 0.1.0 must keep loading and scoring the same.
 * The fixture was made by fitting an 8x6 pixel-gaussian (map_sigma 1.0, seed 3) on four images with
 * values ((i*31 + k*17) % 29) / 28 (i = planar index, k = image 0..3), calibrating it on normal
 * scores {1.0, 1.5, 2.0, 2.5} at the 0.9 quantile, and saving it.
 */
class SavedFormatTest {
    private static final Path FIXTURE = Path.of("src/test/resources/models/pixel-gaussian-format1.a4j");

    private static AnomalyImage query() {
        float[] q = new float[3 * 8 * 6];
        for (int i = 0; i < q.length; i++) {
            q[i] = ((i * 7) % 13) / 12f;
        }
        return AnomalyImage.of(8, 6, 3, q);
    }

    @Test
    void givenFormatVersionOneFixture_whenLoaded_thenScoresAsWhenSaved() throws Exception {
        try (Detector d = Detectors.load(FIXTURE)) {
            assertEquals("pixel-gaussian", d.typeId());
            assertEquals(3, d.provenance().seed());
            assertEquals(4, d.provenance().trainImages());
            ImageScore s = d.score(query());
            assertEquals(1.2706344616413117, s.score(), 1e-6);
            assertEquals(0.15813828409623168, s.normalized().orElseThrow(), 1e-6);
            assertEquals(1.1329607f, s.map().orElseThrow().get(0, 0), 1e-5f);
            assertEquals(1.1475011f, s.map().orElseThrow().get(7, 5), 1e-5f);
        }
    }

    @Test
    void givenSavedPixelGaussian_whenLoadedAsAnotherType_thenDetectorTypeMismatchException(@TempDir Path dir) {
        class Other extends org.anomaly4j.api.BaseDetector<PixelGaussianConfig> {
            Other() {
                super(PixelGaussianConfig.defaults(), PixelGaussianConfig.defaults().preprocessing(),
                        org.anomaly4j.api.Provenance.capture(0, ImageSet.ofNormals("x", java.util.List.of()), Map.of()),
                        null);
            }

            @Override
            public boolean producesMaps() {
                return false;
            }

            @Override
            protected ModelScore scoreModelInput(AnomalyImage in) {
                return new ModelScore(0, null);
            }

            @Override
            protected void writeTensors(ModelArchive.Builder archive) {
            }

            @Override
            protected void release() {
            }
        }
        DetectorTypeMismatchException e = assertThrows(DetectorTypeMismatchException.class,
                () -> Detectors.load(FIXTURE, Other.class));
        assertEquals(FIXTURE, e.file());
    }

    @Test
    void givenArchiveOfRightTypeWithWrongTensorShape_whenLoaded_thenCorruptModelException(@TempDir Path dir)
            throws Exception {
        ModelArchive a = ModelArchive.read(FIXTURE);
        Path f = dir.resolve("bad.a4j");
        ModelArchive.builder(a.typeId()).config(a.config()).provenance(a.provenance())
                .tensor("mean", new long[] {3, 2, 2}, new float[12])
                .tensor("inv_std", new long[] {3, 2, 2}, new float[12]).writeTo(f);
        assertThrows(org.anomaly4j.io.CorruptModelException.class, () -> Detectors.load(f));
        ModelArchive.builder(a.typeId()).config(Map.of("width", "-1")).provenance(a.provenance()).writeTo(f);
        assertThrows(org.anomaly4j.io.CorruptModelException.class, () -> Detectors.load(f));
        assertEquals(true, Files.exists(f));
    }
}
