package org.anomaly4j.mixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class KMeansTest {
    private static final int N = 300;
    private static final int D = 4;

    /** {@code X[i, j] = sin(0.37 i (j + 1) + j) (1 + j) + 0.3 (i mod 7)}. */
    private static double[] data() {
        double[] x = new double[N * D];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < D; j++) {
                x[i * D + j] = Math.sin(0.37 * i * (j + 1) + j) * (1 + j) + (i % 7) * 0.3;
            }
        }
        return x;
    }

    // Expected: scikit-learn 1.2.1, sklearn.cluster.kmeans_plusplus(X, k, random_state=seed)[1].
    @Test
    void numpyDrawsGiveScikitLearnsSeeds() {
        assertArrayEquals(new int[] {172, 256, 185, 90, 149}, KMeans.seeds(data(), N, D, 5, KMeans.Draws.numpy(0)));
        assertArrayEquals(new int[] {191, 138, 146}, KMeans.seeds(data(), N, D, 3, KMeans.Draws.numpy(11)));
    }

    // Expected: KMeans(5, n_init=1, random_state=0).fit(X).labels_ (cluster sizes and the first 20 labels).
    @Test
    void numpyDrawsGiveScikitLearnsClusters() {
        KMeans.Result r = KMeans.fit(data(), N, D, 5, KMeans.Draws.numpy(0), 300);
        int[] sizes = new int[5];
        for (int l : r.labels()) {
            sizes[l]++;
        }
        assertArrayEquals(new int[] {64, 64, 86, 39, 47}, sizes);
        assertArrayEquals(new int[] {2, 1, 4, 0, 2, 3, 3, 0, 0, 1, 1, 2, 2, 4, 4, 4, 2, 2, 1, 0},
                Arrays.copyOf(r.labels(), 20));
    }
}
