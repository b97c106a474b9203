package org.anomaly4j.density;

import java.util.ArrayList;
import java.util.List;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.ImageSet;

/**
 * A small data set shared by the tests against scikit-learn 1.2.1 / scipy 1.10.1 (numpy 1.24.2): three
 * blobs of 12 points in 3-d on a 1/256 grid (exact in float32), and four queries. Generated with
 *
 * <pre>
 * rng = np.random.default_rng(42)
 * c = np.array([[0.2, 0.3, 0.1], [0.7, 0.6, 0.4], [0.4, 0.8, 0.9]])
 * X = np.vstack([c[i] + 0.06 * rng.standard_normal((12, 3)) * (1 + i * 0.5) for i in range(3)])
 * X = np.round(X * 256) / 256
 * Q = np.round(np.array([[0.2, 0.3, 0.1], [0.5, 0.5, 0.5], [0.9, 0.1, 0.2], [0.4, 0.8, 0.9]]) * 256) / 256
 * labels = np.array([(i * 7) % 3 for i in range(len(X))])   # a deliberately poor EM start
 * </pre>
 *
 * Each expected value in the tests is pasted with the line that printed it. As images, every row is a
 * 3x1 grey image, so the {@code pixels} features are exactly the row.
 */
final class SklearnFixture {
    static final int N = 36;
    static final int D = 3;
    static final float[] X = {0.21875f, 0.23828125f, 0.14453125f, 0.2578125f, 0.18359375f, 0.0234375f, 0.20703125f,
        0.28125f, 0.09765625f, 0.1484375f, 0.3515625f, 0.1484375f, 0.203125f, 0.3671875f, 0.12890625f, 0.1484375f,
        0.3203125f, 0.04296875f, 0.25390625f, 0.296875f, 0.08984375f, 0.16015625f, 0.375f, 0.08984375f, 0.17578125f,
        0.27734375f, 0.1328125f, 0.22265625f, 0.32421875f, 0.125f, 0.328125f, 0.27734375f, 0.0703125f, 0.15234375f,
        0.3359375f, 0.16796875f, 0.69140625f, 0.5234375f, 0.32421875f, 0.7578125f, 0.66796875f, 0.44921875f,
        0.640625f, 0.62109375f, 0.41015625f, 0.71875f, 0.6796875f, 0.421875f, 0.76171875f, 0.60546875f, 0.42578125f,
        0.7578125f, 0.46875f, 0.37109375f, 0.65625f, 0.54296875f, 0.375f, 0.8359375f, 0.5234375f, 0.48828125f,
        0.546875f, 0.5703125f, 0.4140625f, 0.75390625f, 0.6640625f, 0.47265625f, 0.66796875f, 0.55859375f,
        0.4765625f, 0.68359375f, 0.484375f, 0.296875f, 0.2890625f, 0.859375f, 0.91796875f, 0.484375f, 0.75f,
        0.91796875f, 0.4765625f, 0.76171875f, 0.953125f, 0.3203125f, 0.7578125f, 0.85546875f, 0.2578125f,
        0.859375f, 0.84375f, 0.40234375f, 0.859375f, 0.953125f, 0.48046875f, 0.7890625f, 0.84765625f, 0.390625f,
        0.59765625f, 0.7265625f, 0.2421875f, 0.6796875f, 0.94921875f, 0.29296875f, 0.75390625f, 1.0546875f,
        0.35546875f, 0.88671875f, 0.7890625f, 0.375f, 0.6875f, 0.859375f};
    static final int M = 4;
    static final float[] Q = {0.19921875f, 0.30078125f, 0.1015625f, 0.5f, 0.5f, 0.5f, 0.8984375f, 0.1015625f,
        0.19921875f, 0.3984375f, 0.80078125f, 0.8984375f};
    static final int[] LABELS = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0,
        1, 2, 0, 1, 2, 0, 1, 2};

    private SklearnFixture() {
    }

    static float[] row(float[] rows, int i) {
        float[] r = new float[D];
        System.arraycopy(rows, i * D, r, 0, D);
        return r;
    }

    /** Row {@code i} of {@code rows} as a 3x1 grey image. */
    static AnomalyImage image(float[] rows, int i) {
        return AnomalyImage.of(D, 1, 1, row(rows, i));
    }

    static ImageSet train() {
        List<AnomalyImage> out = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            out.add(image(X, i));
        }
        return ImageSet.ofNormals("sklearn-fixture", out);
    }

    static List<AnomalyImage> queries() {
        List<AnomalyImage> out = new ArrayList<>();
        for (int i = 0; i < M; i++) {
            out.add(image(Q, i));
        }
        return out;
    }
}
