package org.anomaly4j.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.api.Provenance;
import org.anomaly4j.io.CorruptModelException;
import org.anomaly4j.io.ModelArchive;

class FeaturePersistenceTest {
    private static final String PREFIX = "features.";

    @TempDir
    Path dir;

    private static Provenance provenance() {
        return new Provenance("0.1.0", "0.36.0", "PyTorch", "cpu()", 1, "abc", 10, "2026-01-01T00:00:00Z", Map.of());
    }

    private ModelArchive roundTrip(FeatureExtractor e) throws IOException {
        ModelArchive.Builder b = ModelArchive.builder("test").provenance(provenance());
        e.write(b, PREFIX);
        Path file = dir.resolve("model.a4j");
        b.writeTo(file);
        return ModelArchive.read(file);
    }

    private ModelArchive archive(Map<String, float[]> tensors, Map<String, long[]> shapes) throws IOException {
        ModelArchive.Builder b = ModelArchive.builder("test").provenance(provenance());
        tensors.forEach((name, values) -> b.tensor(name, shapes.get(name), values));
        Path file = dir.resolve("hand.a4j");
        b.writeTo(file);
        return ModelArchive.read(file);
    }

    private static float[] chars(String s) {
        float[] f = new float[s.length()];
        for (int i = 0; i < f.length; i++) {
            f[i] = s.charAt(i);
        }
        return f;
    }

    @ParameterizedTest
    @ValueSource(strings = {"pixels", "pixels:pca=5", "pixels:size=9x7,channels=3,pca=0.9,whiten=true",
        "pixels:size=9x7,channels=3,blur=1,power=0.5,pca=4", "hog",
        "hog:size=32,pca=4,whiten=true"})
    void givenFittedExtractor_whenWrittenReadAndRestored_thenIdenticalFeatures(String text) throws IOException {
        List<AnomalyImage> train = TestImages.blobs(30, 12, 12, 1, 31);
        FeatureSpec spec = FeatureSpec.parse(text);
        FeatureExtractor fitted = spec.fit(ImageSet.ofNormals("t", train), 0, ProgressListener.NONE);
        ModelArchive archive = roundTrip(fitted);
        List<AnomalyImage> test = TestImages.blobs(7, 15, 11, 3, 32);
        for (FeatureSpec how : List.of(spec, fitted.spec())) { // the user's spec or the fitted one
            FeatureExtractor restored = how.restore(archive, PREFIX);
            assertEquals(fitted.spec(), restored.spec());
            assertEquals(fitted.dimension(), restored.dimension());
            assertArrayEquals(fitted.extractAll(test, ProgressListener.NONE),
                    restored.extractAll(test, ProgressListener.NONE));
            assertArrayEquals(fitted.extractAll(train, ProgressListener.NONE),
                    restored.extractAll(train, ProgressListener.NONE));
        }
    }

    @Test
    void givenArchiveWithoutFeatures_whenRestored_thenCorruptModelNamingTheTensor() throws IOException {
        ModelArchive empty = archive(Map.of(), Map.of());
        CorruptModelException e = assertThrows(CorruptModelException.class,
                () -> FeatureSpec.pixels().restore(empty, PREFIX));
        assertTrue(e.getMessage().contains("features.spec"), e.getMessage());
    }

    @Test
    void givenArchiveOfOtherFeatures_whenRestoredWithAnotherSpec_thenCorruptModel() throws IOException {
        List<AnomalyImage> train = TestImages.blobs(10, 8, 8, 1, 33);
        ModelArchive a = roundTrip(FeatureSpec.parse("pixels:pca=3").fit(ImageSet.ofNormals("t", train), 0, null));
        CorruptModelException e = assertThrows(CorruptModelException.class,
                () -> FeatureSpec.parse("pixels:pca=4").restore(a, PREFIX));
        assertTrue(e.getMessage().contains("do not match"), e.getMessage());
        assertThrows(CorruptModelException.class, () -> FeatureSpec.hog().restore(a, PREFIX));
        assertThrows(CorruptModelException.class, () -> FeatureSpec.parse("pixels:size=16").restore(a, PREFIX));
        assertThrows(CorruptModelException.class, () -> FeatureSpec.pixels().restore(a, "other."));
    }

    @Test
    void givenPcaTensorsMissingOrMisshapen_whenRestored_thenCorruptModel() throws IOException {
        String spec = "pixels:size=2,channels=1,pca=2";
        ModelArchive missing = archive(Map.of("features.spec", chars(spec)),
                Map.of("features.spec", new long[] {spec.length()}));
        CorruptModelException e1 = assertThrows(CorruptModelException.class,
                () -> FeatureSpec.parse("pixels:pca=2").restore(missing, PREFIX));
        assertTrue(e1.getMessage().contains("features.pca.mean"), e1.getMessage());
        ModelArchive misshapen = archive(
                Map.of("features.spec", chars(spec), "features.pca.mean", new float[5],
                        "features.pca.components", new float[10], "features.pca.variance", new float[] {1, 1},
                        "features.pca.total", new float[] {2}),
                Map.of("features.spec", new long[] {spec.length()}, "features.pca.mean", new long[] {5},
                        "features.pca.components", new long[] {2, 5}, "features.pca.variance", new long[] {2},
                        "features.pca.total", new long[] {1}));
        CorruptModelException e2 = assertThrows(CorruptModelException.class,
                () -> FeatureSpec.parse("pixels:pca=2").restore(misshapen, PREFIX));
        assertTrue(e2.getMessage().contains("expected [4]"), e2.getMessage());
    }

    @Test
    void givenGarbageOrUnresolvedSpecTensor_whenRestored_thenCorruptModel() throws IOException {
        ModelArchive garbage = archive(Map.of("features.spec", new float[] {0.5f, -3}),
                Map.of("features.spec", new long[] {2}));
        assertThrows(CorruptModelException.class, () -> FeatureSpec.pixels().restore(garbage, PREFIX));
        ModelArchive unresolved = archive(Map.of("features.spec", chars("pixels")),
                Map.of("features.spec", new long[] {6}));
        assertThrows(CorruptModelException.class, () -> FeatureSpec.pixels().restore(unresolved, PREFIX));
        ModelArchive bad = archive(Map.of("features.spec", chars("pixels:pca=x")),
                Map.of("features.spec", new long[] {12}));
        assertThrows(CorruptModelException.class, () -> FeatureSpec.pixels().restore(bad, PREFIX));
    }
}
