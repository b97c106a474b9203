package org.anomaly4j.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidConfigException;
import org.anomaly4j.api.Preprocessing;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.api.Provenance;
import org.anomaly4j.io.ModelArchive;
import org.anomaly4j.tensor.Backbone;
import org.anomaly4j.tensor.Backbones;
import org.anomaly4j.tensor.NativeResourceOwner;
import org.anomaly4j.tensor.Normalization;

class BackboneFeaturesTest {
    private static final List<AnomalyImage> TRAIN = TestImages.blobs(6, 40, 40, 3, 41);
    private static final List<AnomalyImage> TEST = TestImages.blobs(3, 50, 30, 1, 42);
    private static FeatureExtractor resnet;

    @TempDir
    Path dir;

    @BeforeAll
    static void fitOnce() {
        resnet = FeatureSpec.parse("backbone:resnet18,size=64").fit(ImageSet.ofNormals("t", TRAIN), 5,
                ProgressListener.NONE);
    }

    @AfterAll
    static void closeIt() {
        resnet.close();
    }

    @Test
    void givenRandomResnet18_whenFitted_thenAllLevelsAvgPooledAndSeedAndLevelsRecorded() {
        assertEquals("backbone:resnet18,levels=1,2,3,4,size=64,seed=5", resnet.spec().toString());
        assertEquals(64 + 128 + 256 + 512, resnet.dimension());
        float[] f = resnet.extractAll(TEST, ProgressListener.NONE);
        assertEquals(3 * 960, f.length);
        for (float v : f) {
            assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void givenBackbone_whenExtracted_thenEqualsDirectForwardThenGlobalAveragePool() {
        AnomalyImage img = TEST.get(0);
        float[] expected;
        try (Backbone bb = Backbones.parse("resnet18", 5); NDManager m = NDManager.newBaseManager()) {
            Normalization n = bb.normalization();
            AnomalyImage pre = Preprocessing.resize(64, 64, 3).apply(img);
            NDArray batch = n.batch(m, List.of(pre));
            NDList maps = bb.features(m, batch);
            float[][] parts = new float[4][];
            for (int l = 0; l < 4; l++) {
                parts[l] = maps.get(l).mean(new int[] {3}).mean(new int[] {2}).toFloatArray();
            }
            expected = new float[960];
            int o = 0;
            for (float[] p : parts) {
                System.arraycopy(p, 0, expected, o, p.length);
                o += p.length;
            }
        }
        assertArrayEquals(expected, resnet.extract(img), 1e-5f);
    }

    @Test
    void givenLevelsAndAvgmax_whenFitted_thenDimensionIsTwiceTheChosenChannels() {
        try (FeatureExtractor e = FeatureSpec.parse("backbone:resnet18,pool=avgmax,levels=2,3,size=64")
                .fit(ImageSet.ofNormals("t", TRAIN), 5, ProgressListener.NONE)) {
            assertEquals(2 * (128 + 256), e.dimension());
            float[] all = resnet.extract(TEST.get(1));
            float[] f = e.extract(TEST.get(1));
            // avg parts equal the all-levels extractor's level 2 and 3 averages
            assertArrayEquals(Arrays.copyOfRange(all, 64, 64 + 128), Arrays.copyOfRange(f, 0, 128), 1e-6f);
            assertArrayEquals(Arrays.copyOfRange(all, 192, 192 + 256), Arrays.copyOfRange(f, 256, 512), 1e-6f);
            for (int i = 0; i < 128; i++) {
                assertTrue(f[128 + i] >= f[i] - 1e-6f, "max >= mean");
            }
        }
    }

    @Test
    void givenSeed_whenFittedAgain_thenSameSeedInSpecGivesSameFeatures_andOtherSeedDiffers() {
        // the same seed's weights are checked against a direct forward above; here the seed fixed in the spec
        // wins over the fit seed, and another seed gives other features
        try (FeatureExtractor same = FeatureSpec.parse("backbone:resnet18,levels=1,size=64,seed=5")
                .fit(ImageSet.ofNormals("t", TRAIN), 99, ProgressListener.NONE)) {
            float[] a = resnet.extractAll(TEST, ProgressListener.NONE);
            float[] b = same.extractAll(TEST, ProgressListener.NONE);
            for (int i = 0; i < TEST.size(); i++) {
                assertArrayEquals(Arrays.copyOfRange(a, i * 960, i * 960 + 64),
                        Arrays.copyOfRange(b, i * 64, i * 64 + 64));
            }
            try (FeatureExtractor other = FeatureSpec.parse("backbone:resnet18,levels=1,size=64")
                    .fit(ImageSet.ofNormals("t", TRAIN), 6, ProgressListener.NONE)) {
                assertFalse(Arrays.equals(b, other.extractAll(TEST, ProgressListener.NONE)));
            }
        }
    }

    @Test
    void givenFittedWithPca_whenWrittenAndRestored_thenIdenticalFeatures() throws IOException {
        FeatureSpec spec = FeatureSpec.parse("backbone:resnet18,pool=max,levels=1,2,size=48,pca=4");
        try (FeatureExtractor e = spec.fit(ImageSet.ofNormals("t", TRAIN), 9, ProgressListener.NONE)) {
            assertEquals(4, e.dimension());
            ModelArchive.Builder b = ModelArchive.builder("test").provenance(
                    new Provenance("0.1.0", "0.36.0", "PyTorch", "cpu()", 9, "abc", 6, "2026-01-01T00:00:00Z",
                            Map.of()));
            e.write(b, "features.");
            Path file = dir.resolve("bb.a4j");
            b.writeTo(file);
            ModelArchive a = ModelArchive.read(file);
            try (FeatureExtractor r = spec.restore(a, "features.")) {
                assertEquals(e.spec(), r.spec());
                assertArrayEquals(e.extractAll(TEST, ProgressListener.NONE), r.extractAll(TEST, ProgressListener.NONE));
            }
        }
    }

    @Test
    void givenExtractions_whenDone_thenNoTensorsLeftBehind_andConcurrentCallsAgree() throws Exception {
        NativeResourceOwner owner = assertInstanceOf(NativeResourceOwner.class, resnet);
        int before = owner.liveTensorCount();
        float[] seq = resnet.extractAll(TEST, ProgressListener.NONE);
        assertEquals(before, owner.liveTensorCount());
        float[][] got = new float[3][];
        Thread[] ts = new Thread[3];
        for (int t = 0; t < 3; t++) {
            int tt = t;
            ts[t] = new Thread(() -> got[tt] = resnet.extract(TEST.get(tt)));
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        for (int t = 0; t < 3; t++) {
            assertArrayEquals(Arrays.copyOfRange(seq, t * 960, (t + 1) * 960), got[t], 1e-5f);
        }
        assertEquals(before, owner.liveTensorCount());
    }

    @Test
    void givenClosedExtractor_whenUsed_thenIllegalState_andCloseIsIdempotent() {
        FeatureExtractor e = FeatureSpec.parse("backbone:resnet18,levels=1,size=32").fit(ImageSet.ofNormals("t", TRAIN),
                1, ProgressListener.NONE);
        assertEquals(64, e.dimension());
        e.close();
        e.close();
        assertThrows(IllegalStateException.class, () -> e.extract(TEST.get(0)));
    }

    @Test
    void givenUnknownBackboneOrLevel_whenFitted_thenInvalidConfigNamingFeatures() {
        ImageSet train = ImageSet.ofNormals("t", TRAIN);
        InvalidConfigException unknown = assertThrows(InvalidConfigException.class,
                () -> FeatureSpec.parse("backbone:alexnet").fit(train, 0, ProgressListener.NONE));
        assertEquals("features", unknown.parameter());
        assertTrue(unknown.getMessage().contains("alexnet"), unknown.getMessage());
        InvalidConfigException level = assertThrows(InvalidConfigException.class,
                () -> FeatureSpec.parse("backbone:resnet18,levels=5,size=32").fit(train, 0, ProgressListener.NONE));
        assertEquals("features", level.parameter());
        assertTrue(level.getMessage().contains("level 5"), level.getMessage());
        InvalidConfigException missing = assertThrows(InvalidConfigException.class,
                () -> FeatureSpec.parse("backbone:resnet18:/no/such/file.safetensors,size=32").fit(train, 0,
                        ProgressListener.NONE));
        assertTrue(missing.getMessage().contains("/no/such/file.safetensors"), missing.getMessage());
    }
}
