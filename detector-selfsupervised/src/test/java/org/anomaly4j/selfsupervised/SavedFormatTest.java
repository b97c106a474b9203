package org.anomaly4j.selfsupervised;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.Detector;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.io.CorruptModelException;
import org.anomaly4j.io.ModelArchive;
import org.anomaly4j.io.TensorData;

/**
 * Models saved in format version 1 by anomaly4j 0.1.0 must keep loading and scoring the same. The
 * fixtures were fitted (seed 3) on the 12 training images of
 * {@code SyntheticConfig.builder().setSeed(5).optSize(16, 16).optChannels(1).optKinds("nut")
 * .optDefects(DefectKind.values()).optCounts(12, 2, 2)}, at 8x8 input with width-2, depth-1 networks and
 * one epoch: {@code geom} (flip x 4 rotations, batch 16), {@code rotnet-trans} (2 rotations x 9
 * translations of 2 px, batch 16), {@code csi} (4-d projection, batch 4) and {@code ssd} (4-d projection,
 * batch 4, 2 clusters). The expected scores are those printed when they were saved.
 */
class SavedFormatTest {
    private static final Path MODELS = Path.of("src/test/resources/models");

    private static AnomalyImage probe() {
        float[] q = new float[256];
        for (int i = 0; i < q.length; i++) {
            q[i] = ((i * 7) % 13) / 12f;
        }
        return AnomalyImage.of(16, 16, 1, q);
    }

    private static void check(String type, double expected) throws Exception {
        try (Detector d = Detectors.load(MODELS.resolve(type + "-format1.a4j"))) {
            assertEquals(type, d.typeId());
            assertEquals(3, d.provenance().seed());
            assertEquals(12, d.provenance().trainImages());
            assertEquals(expected, d.score(probe()).score(), 1e-4 * Math.max(1, Math.abs(expected)));
        }
    }

    @Test
    void givenGeomFixture_whenLoaded_thenScoresAsWhenSaved() throws Exception {
        check("geom", 57216.37284913861);
    }

    @Test
    void givenRotationTranslationFixture_whenLoaded_thenScoresAsWhenSaved() throws Exception {
        check("rotnet-trans", 54.081417709589005);
    }

    @Test
    void givenCsiFixture_whenLoaded_thenScoresAsWhenSaved() throws Exception {
        check("csi", -10.190055131912231);
    }

    @Test
    void givenSsdFixture_whenLoaded_thenScoresAsWhenSaved() throws Exception {
        check("ssd", 4134.804184145273);
    }

    @Test
    void givenArchiveWithMissingOrMisshapenTensors_whenLoaded_thenCorruptModelException(@TempDir Path dir)
            throws Exception {
        Path f = dir.resolve("bad.a4j");
        for (String type : new String[] {"geom", "ssd", "csi"}) {
            ModelArchive a = ModelArchive.read(MODELS.resolve(type + "-format1.a4j"));
            ModelArchive.Builder b = ModelArchive.builder(a.typeId()).config(a.config()).provenance(a.provenance());
            for (String name : a.tensorNames()) {
                if (name.equals("param.0")) {
                    b.tensor(new TensorData("param.0", new long[] {1}, new float[1]));
                } else if (!name.equals("alpha") && !name.equals("cluster_means") && !name.equals("bank.0")) {
                    b.tensor(a.tensor(name));
                }
            }
            b.writeTo(f);
            assertThrows(CorruptModelException.class, () -> Detectors.load(f), type);
        }
    }
}
