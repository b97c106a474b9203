package org.anomaly4j.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidConfigException;
import org.anomaly4j.api.MapFilters;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.tensor.Pca;

class PixelFeaturesTest {

    private static FeatureExtractor fit(String spec, List<AnomalyImage> train) {
        return FeatureSpec.parse(spec).fit(ImageSet.ofNormals("train", train), 0, ProgressListener.NONE);
    }

    @Test
    void givenSameSizeGreyImages_whenPixelsFitted_thenOwnSizeAndOneChannelAreRecordedAndValuesCopied() {
        List<AnomalyImage> train = TestImages.blobs(5, 12, 10, 1, 1);
        FeatureExtractor e = fit("pixels", train);
        assertEquals("pixels:size=12x10,channels=1", e.spec().toString());
        assertEquals(120, e.dimension());
        for (AnomalyImage i : train) {
            assertArrayEquals(i.toArray(), e.extract(i));
        }
    }

    @Test
    void givenMixedSizesAndColour_whenPixelsFitted_thenDefault64x64RgbResizedLikeAnomalyImage() {
        List<AnomalyImage> train = new ArrayList<>(TestImages.blobs(2, 20, 20, 3, 2));
        train.addAll(TestImages.blobs(2, 30, 16, 1, 3));
        FeatureExtractor e = fit("pixels", train);
        assertEquals("pixels:size=64,channels=3", e.spec().toString());
        assertEquals(64 * 64 * 3, e.dimension());
        for (AnomalyImage i : train) {
            assertArrayEquals(i.toRgb().resize(64, 64).toArray(), e.extract(i));
        }
    }

    @Test
    void givenExplicitSizeAndGrey_whenColourImagesExtracted_thenGreyThenResized() {
        List<AnomalyImage> train = TestImages.blobs(3, 20, 24, 3, 4);
        FeatureExtractor e = fit("pixels:size=8x6,channels=1", train);
        assertEquals(48, e.dimension());
        AnomalyImage rgba = AnomalyImage.of(5, 5, 4, new float[100]);
        assertArrayEquals(rgba.toGrey().resize(8, 6).toArray(), e.extract(rgba));
        for (AnomalyImage i : train) {
            assertArrayEquals(i.toGrey().resize(8, 6).toArray(), e.extract(i));
        }
    }

    @Test
    void givenBlurAndPower_whenExtracted_thenEachPlaneIsBlurredThenRaisedToThePower() {
        List<AnomalyImage> train = TestImages.blobs(3, 20, 24, 3, 4);
        FeatureExtractor e = fit("pixels:size=12x10,blur=1.5,power=0.5", train);
        assertEquals("pixels:size=12x10,channels=3,blur=1.5,power=0.5", e.spec().toString());
        for (AnomalyImage i : train) {
            float[] resized = i.resize(12, 10).toArray();
            float[] expected = new float[resized.length];
            for (int ch = 0; ch < 3; ch++) {
                float[] plane = new float[120];
                System.arraycopy(resized, ch * 120, plane, 0, 120);
                float[] blurred = MapFilters.gaussianBlur(plane, 12, 10, 1.5);
                for (int j = 0; j < 120; j++) {
                    expected[ch * 120 + j] = (float) Math.sqrt(blurred[j]);
                }
            }
            assertArrayEquals(expected, e.extract(i));
        }
        // power alone, not 1/2: a plain pow of the copied values (size already matches, so no resize)
        FeatureExtractor cube = fit("pixels:power=3", train);
        for (AnomalyImage i : train) {
            float[] v = i.toArray();
            float[] got = cube.extract(i);
            for (int j = 0; j < v.length; j++) {
                assertEquals((float) Math.pow(v[j], 3), got[j], 0f);
            }
        }
    }

    @Test
    void givenBlur_whenExtracted_thenHighFrequencyNoiseIsDampedAndMeanKept() {
        float[] checker = new float[16 * 16];
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                checker[y * 16 + x] = (x + y) % 2 == 0 ? 1f : 0f;
            }
        }
        AnomalyImage img = AnomalyImage.of(16, 16, 1, checker);
        float[] out = fit("pixels:blur=2", List.of(img, img)).extract(img);
        double mean = 0;
        for (float v : out) {
            mean += v;
            assertTrue(Math.abs(v - 0.5) < 0.05, "blurred checkerboard value " + v + " is not near 0.5");
        }
        assertEquals(0.5, mean / out.length, 1e-3);
    }

    @Test
    void givenManyImages_whenExtractAll_thenRowsEqualSingleExtractionsInOrderWithProgress() {
        List<AnomalyImage> imgs = TestImages.blobs(1500, 10, 10, 1, 5);
        FeatureExtractor e = fit("pixels:size=7", imgs.subList(0, 10));
        AtomicLong last = new AtomicLong();
        float[] all = e.extractAll(imgs, (stage, done, total) -> {
            assertEquals("features", stage);
            assertEquals(1500, total);
            last.accumulateAndGet(done, Math::max);
        });
        assertEquals(1500, last.get());
        assertEquals(1500 * 49, all.length);
        for (int i = 0; i < imgs.size(); i += 97) {
            float[] one = e.extract(imgs.get(i));
            float[] row = new float[49];
            System.arraycopy(all, i * 49, row, 0, 49);
            assertArrayEquals(one, row);
        }
    }

    @Test
    void givenComponentCount_whenPcaFitted_thenFeaturesAreTheDirectPcaProjection() {
        List<AnomalyImage> train = TestImages.blobs(60, 8, 8, 1, 6);
        FeatureExtractor e = fit("pixels:pca=5", train);
        assertEquals("pixels:size=8,channels=1,pca=5", e.spec().toString());
        assertEquals(5, e.dimension());
        float[] rows = TestImages.rows(train);
        Pca direct = Pca.fit(rows, 60, 64, 5, false);
        List<AnomalyImage> test = TestImages.blobs(20, 8, 8, 1, 7);
        float[] expected = direct.transform(TestImages.rows(test), 20);
        assertArrayEquals(expected, e.extractAll(test, ProgressListener.NONE), 1e-5f);
        assertArrayEquals(direct.transform(rows, 60), e.extractAll(train, ProgressListener.NONE), 1e-5f);
    }

    @Test
    void givenVarianceFraction_whenPcaFitted_thenComponentCountMatchesDirectPca() {
        List<AnomalyImage> train = TestImages.blobs(80, 9, 7, 1, 8);
        FeatureExtractor e = fit("pixels:pca=0.8", train);
        Pca direct = Pca.fitVariance(TestImages.rows(train), 80, 63, 0.8, false);
        assertEquals(direct.components(), e.dimension());
        List<AnomalyImage> test = TestImages.blobs(5, 9, 7, 1, 9);
        assertArrayEquals(direct.transform(TestImages.rows(test), 5), e.extractAll(test, ProgressListener.NONE),
                1e-5f);
    }

    @Test
    void givenWhiten_whenPcaFitted_thenTrainingFeaturesHaveUnitVariance() {
        List<AnomalyImage> train = TestImages.blobs(100, 6, 6, 1, 10);
        FeatureExtractor e = fit("pixels:pca=4,whiten=true", train);
        float[] z = e.extractAll(train, ProgressListener.NONE);
        for (int c = 0; c < 4; c++) {
            double s = 0;
            double s2 = 0;
            for (int i = 0; i < 100; i++) {
                s += z[i * 4 + c];
                s2 += z[i * 4 + c] * z[i * 4 + c];
            }
            double var = (s2 - s * s / 100) / 99;
            assertEquals(1.0, var, 1e-4);
            assertEquals(0.0, s / 100, 1e-4);
        }
    }

    @Test
    void givenLargeDimensionAndFewComponents_whenPcaFitted_thenFeaturesAreTheDirectPcaProjection() {
        // 500 samples of 324 pixels (covariance path) and 300 samples of 400 pixels (Gram path), both above
        // the full-eigen limit (256): block subspace iteration (PcaTest checks it against the full decomposition)
        for (int[] shape : new int[][] {{500, 18}, {300, 20}}) {
            int n = shape[0];
            int side = shape[1];
            int d = side * side;
            List<AnomalyImage> train = TestImages.lowRank(n, side, side, 8, 11);
            assertTrue(d > 256);
            FeatureExtractor e = fit("pixels:pca=6", train);
            Pca direct = Pca.fit(TestImages.rows(train), n, d, 6, false);
            float[] expected = direct.transform(TestImages.rows(train), n);
            float[] actual = e.extractAll(train, ProgressListener.NONE);
            double scale = Math.sqrt(direct.explainedVariance()[0]);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-4 * scale, "value " + i + " for n=" + n);
            }
        }
    }

    @Test
    void givenFittedPca_whenTrainingImagesExtractedAgainOrCopied_thenSameFeatures() {
        List<AnomalyImage> train = TestImages.blobs(40, 8, 8, 1, 12);
        FeatureExtractor e = fit("pixels:pca=3", train);
        float[] cached = e.extractAll(train, ProgressListener.NONE); // served from the fit
        float[] again = e.extractAll(train, ProgressListener.NONE); // recomputed
        float[] copies = e.extractAll(new ArrayList<>(train), ProgressListener.NONE);
        assertNotSame(cached, again);
        assertArrayEquals(again, cached);
        assertArrayEquals(again, copies);
    }

    @Test
    void givenMoreComponentsThanImages_whenFitted_thenInvalidConfigNamingFeatures() {
        List<AnomalyImage> train = TestImages.blobs(4, 8, 8, 1, 13);
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> fit("pixels:pca=10", train));
        assertEquals("features", e.parameter());
        assertTrue(e.getMessage().contains("pca=10 needs at least 10 training images"), e.getMessage());
        InvalidConfigException empty = assertThrows(InvalidConfigException.class,
                () -> FeatureSpec.parse("pixels").fit(ImageSet.ofNormals("none", List.of()), 0, null));
        assertEquals("features", empty.parameter());
    }

    @Test
    void givenOneExtractor_whenExtractedFromManyThreads_thenSameAsSequential() throws Exception {
        List<AnomalyImage> imgs = TestImages.blobs(64, 8, 8, 1, 14);
        FeatureExtractor e = fit("pixels:pca=4", imgs);
        float[] seq = e.extractAll(imgs, ProgressListener.NONE);
        List<Thread> threads = new ArrayList<>();
        float[][] got = new float[4][];
        for (int t = 0; t < 4; t++) {
            int tt = t;
            threads.add(new Thread(() -> {
                float[] out = new float[64 * 4];
                for (int i = 0; i < 64; i++) {
                    System.arraycopy(e.extract(imgs.get(i)), 0, out, i * 4, 4);
                }
                got[tt] = out;
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        for (float[] g : got) {
            assertArrayEquals(seq, g);
        }
    }

    @Test
    void givenResizer_whenComparedWithAnomalyImageResize_thenBitIdentical() {
        for (int[] s : new int[][] {{28, 28, 64, 64}, {30, 17, 8, 9}, {5, 7, 5, 13}, {64, 48, 64, 48}}) {
            AnomalyImage img = TestImages.blobs(1, s[0], s[1], 3, 15).get(0);
            assertArrayEquals(img.resize(s[2], s[3]).toArray(), Resizer.resize(img, s[2], s[3]));
        }
    }
}
