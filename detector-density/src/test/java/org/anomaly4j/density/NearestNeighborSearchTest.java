package org.anomaly4j.density;

import static org.anomaly4j.density.SklearnFixture.D;
import static org.anomaly4j.density.SklearnFixture.M;
import static org.anomaly4j.density.SklearnFixture.N;
import static org.anomaly4j.density.SklearnFixture.Q;
import static org.anomaly4j.density.SklearnFixture.X;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Exact kNN distances against scikit-learn 1.2.1's {@code NearestNeighbors} and a brute-force loop. */
class NearestNeighborSearchTest {
    @Test
    void givenFixture_whenSearchingThreeNearest_thenEqualsScikitLearnKneighbors() {
        // dist, _ = NearestNeighbors(n_neighbors=3).fit(X).kneighbors(Q)
        double[] expected = {0.02139541240254555, 0.04059494080239556, 0.04555431167847891, 0.12052537984798056,
            0.17943256371649768, 0.20465917027233962, 0.4291189420268581, 0.4497110074640991, 0.48627713713638904,
            0.08024468196943023, 0.09718636956738069, 0.09897546452593693};
        try (NearestNeighborSearch s = NearestNeighborSearch.of(X, N, D)) {
            assertArrayEquals(expected, s.kNearest(Q, M, 3), 1e-12);
        }
    }

    @Test
    void givenRandomData_whenSearching_thenEqualsBruteForceAndSingleQueriesEqualTheBatch() {
        SplittableRandom r = new SplittableRandom(4);
        int n = 500;
        int d = 37;
        int m = 60;
        int k = 7;
        float[] t = new float[n * d];
        float[] q = new float[m * d];
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) r.nextDouble();
        }
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) r.nextDouble();
        }
        System.arraycopy(t, 3 * d, q, 0, d); // a query equal to a training row: distance 0
        try (NearestNeighborSearch s = NearestNeighborSearch.of(t, n, d)) {
            double[] got = s.kNearest(q, m, k);
            for (int i = 0; i < m; i++) {
                double[] all = new double[n];
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int c = 0; c < d; c++) {
                        double z = (double) q[i * d + c] - t[j * d + c];
                        acc += z * z;
                    }
                    all[j] = Math.sqrt(acc);
                }
                Arrays.sort(all);
                assertArrayEquals(Arrays.copyOf(all, k), Arrays.copyOfRange(got, i * k, (i + 1) * k), 0.0, "query " + i);
                float[] one = Arrays.copyOfRange(q, i * d, (i + 1) * d);
                assertArrayEquals(Arrays.copyOfRange(got, i * k, (i + 1) * k), s.kNearest(one, 1, k), 0.0);
            }
            assertEquals(0.0, got[0], 0.0);
            assertEquals(1, s.liveTensorCount(), "only the training matrix stays alive");
        }
    }

    @Test
    void givenKLargerThanTheTrainingSet_whenSearching_thenRejected() {
        try (NearestNeighborSearch s = NearestNeighborSearch.of(X, N, D)) {
            assertThrows(IllegalArgumentException.class, () -> s.kNearest(Q, M, N + 1));
        }
    }
}
