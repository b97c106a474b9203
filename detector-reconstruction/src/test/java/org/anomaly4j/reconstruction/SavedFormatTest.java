package org.anomaly4j.reconstruction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.Detector;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.io.ModelFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model saved in format version 1 must keep loading and scoring the same. {@code ae-format1.a4j}:
 * {@code ae} 16x16 grey, filters 2, latent 4, 1 epoch, batch 4, seed 3, fitted on {@code image(0..7)}
 * below; the score and map value of {@code image(20)} were recorded when it was saved.
 */
class SavedFormatTest {
    private static final Path MODELS = Path.of("src/test/resources/models");

    static AnomalyImage image(int k) {
        float[] v = new float[256];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((i * (k + 7)) % 13) / 12f;
        }
        return AnomalyImage.of(16, 16, 1, v);
    }

    @Test
    void givenAeFixture_whenLoaded_thenScoresAsWhenSaved() throws Exception {
        try (Detector d = Detectors.load(MODELS.resolve("ae-format1.a4j"))) {
            assertEquals("ae", d.typeId());
            assertEquals(3, d.provenance().seed());
            assertEquals(8, d.provenance().trainImages());
            var s = d.score(image(20));
            assertEquals(0.12000343226827681, s.score(), 1e-6);
            assertEquals(0.12327307, s.map().orElseThrow().get(0, 0), 1e-6);
        }
    }

    @Test
    void givenTruncatedFixture_whenLoaded_thenModelFormatException(@TempDir Path dir) throws Exception {
        byte[] all = Files.readAllBytes(MODELS.resolve("ae-format1.a4j"));
        Path cut = dir.resolve("cut.a4j");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        assertThrows(ModelFormatException.class, () -> Detectors.load(cut));
    }
}
