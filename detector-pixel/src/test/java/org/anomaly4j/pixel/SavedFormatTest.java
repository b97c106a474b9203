package org.anomaly4j.pixel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.Detector;
import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.io.CorruptModelException;
import org.anomaly4j.io.ModelArchive;
import org.anomaly4j.io.TensorData;
import org.anomaly4j.pixel.padim.PadimConfig;
import org.anomaly4j.pixel.patchcore.PatchCoreConfig;
import org.anomaly4j.pixel.spade.SpadeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models saved in format version 1 by anomaly4j 0.1.0 must keep loading and scoring the same. The
 * fixtures were made by {@link #write} ({@code -Danomaly4j.writeFixtures=true}): each detector with a
 * random-init MobileNetV2 (seed 3) at 32x32 on the 6 images of {@link #image}(0..5); the expected
 * scores are those of {@link #image}(9) when saved.
 */
class SavedFormatTest {
    private static final Path MODELS = Path.of("src/test/resources/models");

    static AnomalyImage image(int k) {
        float[] v = new float[3 * 32 * 32];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((i * 7 + k * 13 + (i / 32) * (k + 1)) % 29) / 28f;
        }
        return AnomalyImage.of(32, 32, 3, v);
    }

    static Map<String, DetectorConfig<?>> configs() {
        return Map.of(
                "patchcore", PatchCoreConfig.builder().optSize(32).optLayers("8,16").optCoresetRatio(0.5).optSeed(3)
                        .optImageScore("reweighted").optNeighbors(3).build(),
                "padim", PadimConfig.builder().optSize(32).optChannels(8).optSeed(3).build(),
                "spade", SpadeConfig.builder().optSize(32).optLayers("4,8").optKImages(2).optSeed(3).build());
    }

    @Test
    void givenFixtures_whenLoaded_thenScoreAsWhenSaved() throws Exception {
        for (String type : List.of("patchcore", "padim", "spade")) {
            try (Detector d = Detectors.load(MODELS.resolve(type + "-format1.a4j"))) {
                assertEquals(type, d.typeId());
                assertEquals(3, d.provenance().seed());
                assertEquals(6, d.provenance().trainImages());
                double want = Double.parseDouble(d.provenance().notes().get("fixture_score"));
                assertEquals(want, d.score(image(9)).score(), 1e-6 * Math.max(1, Math.abs(want)), type);
            }
        }
    }

    @Test
    void givenArchiveWithInconsistentTensors_whenLoaded_thenCorruptModelException(@TempDir Path dir) throws Exception {
        for (String type : List.of("patchcore", "padim", "spade")) {
            ModelArchive a = ModelArchive.read(MODELS.resolve(type + "-format1.a4j"));
            Path f = dir.resolve(type + "-bad.a4j");
            ModelArchive.Builder b = ModelArchive.builder(a.typeId()).config(a.config()).provenance(a.provenance());
            boolean first = true;
            for (String name : a.tensorNames()) {
                b.tensor(first ? new TensorData(name, new long[] {3, 2}, new float[6]) : a.tensor(name));
                first = false;
            }
            b.writeTo(f);
            assertThrows(CorruptModelException.class, () -> Detectors.load(f), type);
        }
    }

    /** Writes the fixtures (run once with -Danomaly4j.writeFixtures=true; the test then checks them). */
    @Test
    void write() throws Exception {
        if (!Boolean.getBoolean("anomaly4j.writeFixtures")) {
            return;
        }
        Files.createDirectories(MODELS);
        List<AnomalyImage> train = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            train.add(image(k));
        }
        for (Map.Entry<String, DetectorConfig<?>> e : configs().entrySet()) {
            Path tmp = Files.createTempFile("fixture", ".a4j");
            try (Detector d = e.getValue().fit(ImageSet.ofNormals("fixture", train))) {
                d.save(tmp);
            }
            // record the loaded model's score in its provenance notes
            ModelArchive a = ModelArchive.read(tmp);
            double s;
            try (Detector d = Detectors.load(tmp)) {
                s = d.score(image(9)).score();
            }
            Map<String, String> notes = new java.util.LinkedHashMap<>(a.provenance().notes());
            notes.put("fixture_score", Double.toString(s));
            var p = a.provenance();
            var p2 = new org.anomaly4j.api.Provenance(p.library(), p.djl(), p.engine(), p.device(), p.seed(),
                    p.trainFingerprint(), p.trainImages(), p.created(), notes);
            ModelArchive.Builder b = ModelArchive.builder(a.typeId()).config(a.config()).provenance(p2);
            a.preprocessing().ifPresent(b::preprocessing);
            for (String name : a.tensorNames()) {
                b.tensor(a.tensor(name));
            }
            b.writeTo(MODELS.resolve(e.getKey() + "-format1.a4j"));
            Files.delete(tmp);
        }
    }
}
