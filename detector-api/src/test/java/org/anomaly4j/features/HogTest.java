package org.anomaly4j.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.ProgressListener;

class HogTest {
    private static final int W = 24;
    private static final int H = 16;

    /*
     * Expected values from scikit-image 0.19.3, scipy and numpy (python3), on the image of image():
     *
     * import numpy as np
     * from skimage.feature import hog, graycomatrix, graycoprops
     * from scipy import stats
     * h, w = 16, 24
     * y, x = np.mgrid[0:h, 0:w]
     * img = (((x * 7 + y * 13 + (x * y) % 5) % 17) / 16.0).astype(np.float32)  # values k/16, k = 0..16
     * f = hog(img, orientations=9, pixels_per_cell=(8, 8), cells_per_block=(2, 2), block_norm='L2-Hys',
     *         feature_vector=True)
     * print(", ".join("%.9g" % v for v in f))
     * q = np.minimum((img * 16).astype(np.int64), 15).astype(np.uint8)
     * P = graycomatrix(q, distances=[1], angles=[0, np.pi/4, np.pi/2, 3*np.pi/4], levels=16, symmetric=True,
     *                  normed=True)
     * props = [graycoprops(P, p)[0] for p in ('contrast', 'homogeneity', 'energy', 'correlation')]
     * v = img.astype(np.float64).ravel()
     * st = [v.mean(), v.std(), stats.skew(v), stats.kurtosis(v)]
     * hist = np.bincount(q.ravel(), minlength=16) / q.size
     * print(", ".join("%.12g" % t for t in list(st) + list(hist) + [x for p in props for x in p]))
     */
    private static final float[] SKIMAGE_HOG = {
        0.103333332f, 0f, 0.0240310077f, 0.235467911f, 0.235467911f, 0.188735783f, 0.156578824f, 0.211600736f,
        0.0357246622f, 0.084108524f, 0f, 0.0380433723f, 0.235467911f, 0.222270355f, 0.21589838f, 0.235467911f,
        0.234176919f, 0.0357246622f, 0.076899223f, 0.0187688172f, 0.0140123647f, 0.172296345f, 0.235467911f,
        0.235467911f, 0.12690556f, 0.235467911f, 0f, 0.084108524f, 0.0375376344f, 0.0620743781f, 0.212213814f,
        0.233609438f, 0.235467911f, 0.230260447f, 0.235467911f, 0.0753576159f, 0.082402043f, 0f, 0.0372715071f,
        0.232748151f, 0.217760697f, 0.211518005f, 0.232748151f, 0.229425684f, 0.03499984f, 0.0753390118f,
        0.0183880161f, 0.0137280663f, 0.171255112f, 0.232748151f, 0.213122472f, 0.1788681f, 0.232748151f, 0f,
        0.082402043f, 0.0367760323f, 0.0608149469f, 0.207908183f, 0.228869721f, 0.232748151f, 0.225588664f,
        0.232748151f, 0.0738286823f, 0.101236798f, 0f, 0.0235434398f, 0.227739245f, 0.232748151f, 0.220084235f,
        0.212312102f, 0.18015635f, 0.03499984f
    };

    private static final double[] SKIMAGE_STATS = {
        0.515299479167, 0.310294784069, -0.0707047128903, -1.24292229039, 0.0520833333333, 0.0677083333333,
        0.0572916666667, 0.0494791666667, 0.0572916666667, 0.0572916666667, 0.046875, 0.0572916666667, 0.0625,
        0.0546875, 0.0572916666667, 0.0598958333333, 0.0625, 0.0625, 0.0625, 0.1328125, 67.8260869565, 40.1507246377,
        49.225, 61.2782608696, 0.0226246484103, 0.242102835661, 0.132043420301, 0.0381462998911, 0.097334210264,
        0.0799863462409, 0.0756657692882, 0.0816496580928, -0.430451348539, 0.157331484459, -0.0359160463664,
        -0.295021568024
    };

    private static float[] image() {
        float[] v = new float[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                v[y * W + x] = ((x * 7 + y * 13 + (x * y) % 5) % 17) / 16f;
            }
        }
        return v;
    }

    @Test
    void givenSmallImage_whenHogComputed_thenMatchesSkimage() {
        assertEquals(72, Hog.length(W, H));
        assertArrayEquals(SKIMAGE_HOG, Hog.compute(image(), W, H), 1e-6f);
    }

    @Test
    void givenSmallImage_whenGrayLevelStatisticsComputed_thenMatchSkimageGlcmAndScipyMoments() {
        float[] s = GrayLevelStatistics.compute(image(), W, H);
        assertEquals(GrayLevelStatistics.LENGTH, s.length);
        for (int i = 0; i < s.length; i++) {
            assertEquals(SKIMAGE_STATS[i], s[i], 1e-5 * Math.max(1, Math.abs(SKIMAGE_STATS[i])), "value " + i);
        }
    }

    @Test
    void givenConstantImage_whenStatisticsComputed_thenNoNaNAndCorrelationOne() {
        float[] flat = new float[20 * 20];
        java.util.Arrays.fill(flat, 0.3f);
        float[] s = GrayLevelStatistics.compute(flat, 20, 20);
        for (float v : s) {
            assertEquals(false, Float.isNaN(v));
        }
        assertEquals(0.3f, s[0], 1e-6f);
        assertEquals(0f, s[1], 1e-6f);
        assertEquals(1f, s[4 + 4], 1e-6f); // all pixels in bin floor(0.3 * 16) = 4
        for (int a = 0; a < 4; a++) {
            assertEquals(1f, s[4 + 16 + 12 + a], 0f); // correlation of a constant image
        }
        float[] h = Hog.compute(flat, 20, 20);
        assertArrayEquals(new float[h.length], h);
    }

    @Test
    void givenRandomGradients_whenBinned_thenSameBinAsAtan2Modulo180() {
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 100_000; i++) {
            double dx = r.nextDouble(-1, 1);
            double dy = i % 10 == 0 ? 0 : r.nextDouble(-1, 1);
            double deg = Math.toDegrees(Math.atan2(dy, dx)) % 180;
            if (deg < 0) {
                deg += 180;
            }
            int expected = Math.min(8, (int) Math.floor(deg / 20));
            if (Math.abs(deg - 20 * Math.round(deg / 20)) < 1e-9) {
                continue; // on a boundary to rounding: either bin is right
            }
            assertEquals(expected, Hog.bin(dx, dy), "dx=" + dx + " dy=" + dy);
        }
        assertEquals(4, Hog.bin(0, 1)); // 90 degrees
        assertEquals(4, Hog.bin(0, -1));
        assertEquals(0, Hog.bin(-1, 0)); // 180 = 0
    }

    @Test
    void givenHogSpec_whenExtracted_thenHogOfResizedGreyThenStatistics() {
        List<AnomalyImage> train = TestImages.blobs(6, 28, 28, 3, 21);
        FeatureExtractor e = FeatureSpec.parse("hog").fit(ImageSet.ofNormals("t", train), 0, ProgressListener.NONE);
        assertEquals("hog", e.spec().toString());
        assertEquals(7 * 7 * 36 + GrayLevelStatistics.LENGTH, e.dimension());
        assertEquals(1800, e.dimension());
        for (AnomalyImage i : train) {
            float[] grey = i.toGrey().resize(64, 64).toArray();
            float[] hog = Hog.compute(grey, 64, 64);
            float[] st = GrayLevelStatistics.compute(grey, 64, 64);
            float[] expected = new float[hog.length + st.length];
            System.arraycopy(hog, 0, expected, 0, hog.length);
            System.arraycopy(st, 0, expected, hog.length, st.length);
            assertArrayEquals(expected, e.extract(i));
        }
    }

    @Test
    void givenHogWithPca_whenFitted_thenReducedDimension() {
        List<AnomalyImage> train = TestImages.blobs(30, 20, 20, 1, 22);
        FeatureExtractor e = FeatureSpec.parse("hog:size=32,pca=6").fit(ImageSet.ofNormals("t", train), 0,
                ProgressListener.NONE);
        assertEquals(6, e.dimension());
        assertEquals(30 * 6, e.extractAll(train, ProgressListener.NONE).length);
    }
}
