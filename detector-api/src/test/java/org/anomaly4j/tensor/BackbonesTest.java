package org.anomaly4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

import org.anomaly4j.io.TensorData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackbonesTest {
    private static NDManager manager;
    private static NDArray batch;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        float[] v = new float[2 * 3 * 64 * 64];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(0.37 * i) * 1.5f;
        }
        batch = manager.create(v, new Shape(2, 3, 64, 64));
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    private static List<float[]> features(Backbone b, NDArray x) {
        try (NDManager m = manager.newSubManager()) {
            List<float[]> out = new ArrayList<>();
            for (NDArray a : b.features(m, x)) {
                out.add(a.toFloatArray());
            }
            return out;
        }
    }

    private static void assertClose(List<float[]> a, List<float[]> b, float tol) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), tol, "level " + i);
        }
    }

    @Test
    void givenEachBuiltInArchitecture_whenFeaturesOf2x3x64x64_thenShapesFollowTheLevels() {
        Map<String, int[]> channels = new LinkedHashMap<>();
        channels.put("mobilenet_v2", new int[] {24, 32, 96, 1280});
        channels.put("resnet18", new int[] {64, 128, 256, 512});
        channels.put("wide_resnet50_2", new int[] {256, 512, 1024, 2048});
        for (Map.Entry<String, int[]> e : channels.entrySet()) {
            try (Backbone b = Backbones.parse(e.getKey(), 7, Device.cpu()); NDManager m = manager.newSubManager()) {
                assertEquals(e.getKey(), b.spec());
                assertEquals(Normalization.imagenet(), b.normalization());
                NDList maps = b.features(m, batch);
                assertEquals(4, maps.size());
                for (int i = 0; i < 4; i++) {
                    FeatureLevel l = b.levels().get(i);
                    assertEquals(4 << i, l.stride(), e.getKey() + " " + l);
                    assertEquals(e.getValue()[i], l.channels(), e.getKey() + " " + l);
                    assertEquals(new Shape(2, l.channels(), 64 / l.stride(), 64 / l.stride()), maps.get(i).getShape());
                    assertTrue(maps.get(i).abs().sum().getFloat() > 0, e.getKey() + " level " + i + " is all zero");
                }
            }
        }
    }

    @Test
    void givenSameSeed_whenBuiltTwice_thenIdenticalFeatures_andAnotherSeedDiffers() {
        try (Backbone a = Backbones.parse("resnet18", 3, Device.cpu());
                Backbone b = Backbones.parse("resnet18", 3, Device.cpu());
                Backbone c = Backbones.parse("resnet18", 4, Device.cpu())) {
            List<float[]> fa = features(a, batch);
            assertClose(fa, features(b, batch), 0f);
            assertFalse(java.util.Arrays.equals(fa.get(3), features(c, batch).get(3)));
        }
    }

    /** Records every tensor a built-in asks for (names, shapes, values) while serving seeded random ones. */
    private static final class Recording extends Weights {
        final Weights random;
        final Map<String, TensorData> seen = new LinkedHashMap<>();

        Recording(long seed) {
            random = Weights.random(seed);
        }

        @Override
        float[] tensor(String name, long[] shape, Init init) {
            float[] v = random.tensor(name, shape, init);
            seen.put(name, new TensorData(name, shape, v.clone()));
            return v;
        }

        @Override
        boolean has(String name) {
            return true;
        }
    }

    @Test
    void givenSafetensorsWithTorchvisionNames_whenLoaded_thenTheFileWeightsAreUsed() throws IOException {
        Recording rec = new Recording(11);
        List<float[]> expected;
        try (MobileNetV2 random = new MobileNetV2(rec, Device.cpu(), "mobilenet_v2")) {
            expected = features(random, batch);
        }
        assertTrue(rec.seen.containsKey("features.0.0.weight") && rec.seen.containsKey("features.17.conv.3.running_var")
                && rec.seen.containsKey("classifier.1.weight"), rec.seen.keySet().toString());
        Path file = dir.resolve("mnv2.safetensors");
        SafeTensors.write(file, List.copyOf(rec.seen.values()), Map.of("format", "pt"));

        try (Backbone loaded = Backbones.parse("mobilenet_v2:" + file, 0, Device.cpu())) {
            assertEquals("mobilenet_v2:" + file.toAbsolutePath().normalize(), loaded.spec());
            assertClose(expected, features(loaded, batch), 0f);
        }

        // a weight of features[5] changes: the maps from features[6] on change, features[3]'s does not
        TensorData w = rec.seen.get("features.5.conv.1.0.weight");
        float[] doubled = w.values().clone();
        for (int i = 0; i < doubled.length; i++) {
            doubled[i] *= 2;
        }
        rec.seen.put(w.name(), new TensorData(w.name(), w.shape(), doubled));
        SafeTensors.write(file, List.copyOf(rec.seen.values()), Map.of());
        try (Backbone changed = Backbones.parse("mobilenet_v2:" + file, 0, Device.cpu())) {
            List<float[]> f = features(changed, batch);
            assertArrayEquals(expected.get(0), f.get(0), 0f);
            assertFalse(java.util.Arrays.equals(expected.get(1), f.get(1)));
        }
    }

    @Test
    void givenWrongFiles_whenParsed_thenBackboneExceptionNamesFileAndTensor() throws IOException {
        Recording rec = new Recording(1);
        new ResNet(ResNet.Variant.RESNET18, rec, Device.cpu(), "resnet18").close();
        List<TensorData> all = new ArrayList<>(rec.seen.values());

        List<TensorData> missing = new ArrayList<>(all);
        missing.removeIf(t -> t.name().equals("layer3.0.downsample.1.running_mean"));
        Path f1 = dir.resolve("missing.safetensors");
        SafeTensors.write(f1, missing, Map.of());
        BackboneException e1 = assertThrows(BackboneException.class, () -> Backbones.parse("resnet18:" + f1, 0));
        assertEquals("layer3.0.downsample.1.running_mean", e1.tensor().orElseThrow());
        assertEquals(f1, e1.file().orElseThrow());
        assertTrue(e1.getMessage().contains("missing.safetensors") && e1.getMessage().contains("running_mean"),
                e1.getMessage());

        List<TensorData> wrong = new ArrayList<>(all);
        wrong.replaceAll(t -> t.name().equals("layer2.1.conv2.weight")
                ? new TensorData(t.name(), new long[] {128, 128, 1, 1}, new float[128 * 128]) : t);
        Path f2 = dir.resolve("wrong.safetensors");
        SafeTensors.write(f2, wrong, Map.of());
        BackboneException e2 = assertThrows(BackboneException.class, () -> Backbones.parse("resnet18:" + f2, 0));
        assertEquals("layer2.1.conv2.weight", e2.tensor().orElseThrow());
        assertTrue(e2.getMessage().contains("[128, 128, 1, 1]") && e2.getMessage().contains("[128, 128, 3, 3]"),
                e2.getMessage());

        // a ResNet file given to MobileNetV2: the first missing tensor is named
        Path f3 = dir.resolve("resnet.safetensors");
        SafeTensors.write(f3, all, Map.of());
        assertEquals("features.0.0.weight",
                assertThrows(BackboneException.class, () -> Backbones.parse("mobilenet_v2:" + f3, 0)).tensor().orElseThrow());

        Path absent = dir.resolve("absent.safetensors");
        assertEquals(absent, assertThrows(BackboneException.class, () -> Backbones.parse("resnet18:" + absent, 0))
                .file().orElseThrow());
        BackboneException e4 = assertThrows(BackboneException.class, () -> Backbones.parse("vgg16", 0));
        assertTrue(e4.getMessage().contains("vgg16") && e4.getMessage().contains("mobilenet_v2"), e4.getMessage());
        assertThrows(BackboneException.class, () -> Backbones.parse("torchscript:", 0));
        assertThrows(BackboneException.class, () -> Backbones.parse("torchscript:" + dir.resolve("none.pt"), 0));
    }

    @Test
    void givenTenForwards_whenScratchClosed_thenNoArrayIsLeft() {
        try (ResNet b = Backbones.resNet(ResNet.Variant.RESNET18, 0, Device.cpu());
                NDManager caller = manager.newSubManager()) {
            int weights = b.liveArrays();
            for (int i = 0; i < 10; i++) {
                b.chunkBytes = i < 3 ? 1 : 0; // sub-batches too: their slices and parts must be released as well
                try (NDManager scoring = caller.newSubManager()) {
                    NDList maps = b.features(scoring, batch);
                    assertEquals(4, maps.size());
                    assertEquals(4, Tensors.liveArrays(scoring), "only the 4 returned maps live in the caller's manager");
                    if (i % 5 == 0) {
                        b.logits(scoring, batch);
                        assertEquals(5, Tensors.liveArrays(scoring));
                    }
                }
            }
            assertEquals(0, Tensors.liveArrays(caller));
            assertEquals(weights, b.liveArrays(), "no intermediate left under the backbone's manager");
        }
    }

    @Test
    void givenFourThreads_whenFeaturesConcurrently_thenSameAsSerial() throws Exception {
        try (Backbone b = Backbones.parse("resnet18", 5, Device.cpu())) {
            NDArray[] inputs = new NDArray[4];
            List<List<float[]>> serial = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                inputs[t] = batch.mul(0.5f + t);
                serial.add(features(b, inputs[t]));
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                for (int round = 0; round < 2; round++) {
                    List<Future<List<float[]>>> futures = new ArrayList<>();
                    for (int t = 0; t < 4; t++) {
                        NDArray x = inputs[t];
                        futures.add(pool.submit(() -> features(b, x)));
                    }
                    for (int t = 0; t < 4; t++) {
                        assertClose(serial.get(t), futures.get(t).get(), 1e-5f);
                    }
                }
            } finally {
                pool.shutdownNow();
                for (NDArray x : inputs) {
                    x.close();
                }
            }
        }
    }

    @Test
    void givenSubBatches_whenForward_thenSameMapsAsOneBatch_andGradModeIsRestored() throws Exception {
        try (MobileNetV2 b = Backbones.mobileNetV2(2, Device.cpu())) {
            b.chunkBytes = 0;
            List<float[]> whole = features(b, batch);
            float[] logitsWhole;
            try (NDManager m = manager.newSubManager()) {
                logitsWhole = b.logits(m, batch).toFloatArray();
            }
            b.chunkBytes = 1; // one image per sub-batch
            assertEquals(2, b.chunks(2, 64 * 64));
            assertClose(whole, features(b, batch), 1e-4f);
            Thread t = new Thread(() -> {
                JniUtils.setGradMode(true); // PyTorch's grad mode is per thread and on by default
                try (NDManager m = manager.newSubManager()) {
                    NDArray l = b.logits(m, batch);
                    assertFalse(l.hasGradient());
                    assertArrayEquals(logitsWhole, l.toFloatArray(), 1e-4f);
                    assertEquals(new Shape(2, 1000), l.getShape());
                }
                assertTrue(JniUtils.isGradMode());
            });
            List<Throwable> failure = new ArrayList<>();
            t.setUncaughtExceptionHandler((th, ex) -> failure.add(ex));
            t.start();
            t.join();
            assertTrue(failure.isEmpty(), failure.toString());
        }
    }

    @Test
    void givenBadBatches_whenFeatures_thenClearErrors() {
        try (Backbone b = Backbones.parse("resnet18", 0, Device.cpu()); NDManager m = manager.newSubManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> b.features(m, m.zeros(new Shape(1, 1, 64, 64))));
            assertTrue(e.getMessage().contains("(1, 1, 64, 64)"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> b.features(m, m.zeros(new Shape(3, 64, 64))));
            b.close();
            assertThrows(IllegalStateException.class, () -> b.features(m, batch));
            b.close(); // idempotent
        }
    }

    @Test
    void givenSpecOfABackbone_whenParsedAgain_thenSameFeatures() {
        try (Backbone a = Backbones.parse(" RESNET18 ", 9, Device.cpu()); Backbone b = Backbones.parse(a.spec(), 9, Device.cpu())) {
            assertEquals("resnet18", a.spec());
            assertClose(features(a, batch), features(b, batch), 0f);
        }
    }

    @Test
    void givenOfflineDjl_whenZooSpec_thenFailsFastWithAClearMessage() {
        assertEquals("true", System.getProperty("ai.djl.offline"));
        BackboneException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(BackboneException.class, () -> Backbones.parse("zoo:resnet18", 0, Device.cpu())));
        assertTrue(e.getMessage().contains("resnet18") && e.getMessage().contains("offline"), e.getMessage());
        assertNotEquals(null, e.getCause());
    }
}
