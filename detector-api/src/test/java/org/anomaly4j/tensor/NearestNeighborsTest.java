package org.anomaly4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.Test;

class NearestNeighborsTest {

    static float[] gaussian(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    /** Brute force in double; ties: lower row first. Returns {rows..., } and squared distances. */
    static void brute(float[] bank, int n, float[] q, int nq, int d, int k, int[] outIdx, double[] outD2) {
        for (int a = 0; a < nq; a++) {
            Integer[] order = new Integer[n];
            double[] d2 = new double[n];
            for (int r = 0; r < n; r++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    double t = (double) q[a * d + j] - bank[r * d + j];
                    s += t * t;
                }
                d2[r] = s;
                order[r] = r;
            }
            Arrays.sort(order, Comparator.<Integer>comparingDouble(r -> d2[r]).thenComparingInt(r -> r));
            for (int j = 0; j < k; j++) {
                outIdx[a * k + j] = order[j];
                outD2[a * k + j] = d2[order[j]];
            }
        }
    }

    private static void assertMatchesBruteForce(NearestNeighbors nn, float[] bank, int n, float[] q, int nq, int d,
            int k) {
        int[] idx = new int[nq * k];
        double[] d2 = new double[nq * k];
        brute(bank, n, q, nq, d, k, idx, d2);
        NearestNeighbors.Result r = nn.search(q, nq, k);
        NearestNeighbors.Result sq = nn.searchSquared(q, nq, k);
        assertArrayEquals(idx, r.indices());
        assertArrayEquals(idx, sq.indices());
        for (int i = 0; i < idx.length; i++) {
            assertEquals(Math.sqrt(d2[i]), r.distances()[i], 1e-5 * (1 + Math.sqrt(d2[i])));
            assertEquals(d2[i], sq.distances()[i], 1e-5 * (1 + d2[i]));
        }
    }

    @Test
    void givenBankNotAMultipleOfTheChunk_whenSearchingK1AndK5_thenResultsEqualBruteForce() {
        int n = 1037;
        int d = 24;
        float[] bank = gaussian(n, d, 1);
        float[] q = gaussian(61, d, 2);
        NearestNeighbors nn = NearestNeighbors.builder(bank, n, d).optChunkRows(100).optScoreBytes(4 * 100 * 16)
                .optDevice(Device.cpu()).build();
        assertEquals(100, nn.chunkRows());
        assertEquals(16, nn.queryBlockRows());
        assertMatchesBruteForce(nn, bank, n, q, 61, d, 1);
        assertMatchesBruteForce(nn, bank, n, q, 61, d, 5);
    }

    @Test
    void givenDefaultChunking_whenSearching_thenResultsEqualBruteForce() {
        int n = 3000;
        int d = 40;
        float[] bank = gaussian(n, d, 3);
        float[] q = gaussian(17, d, 4);
        assertMatchesBruteForce(NearestNeighbors.builder(bank, n, d).optDevice(Device.cpu()).build(), bank, n, q, 17, d,
                5);
    }

    @Test
    void givenQueriesThatAreBankRowsAndDuplicates_whenSearching_thenExactZerosAndLowestRowsComeFirst() {
        int n = 500;
        int d = 16;
        float[] bank = gaussian(n, d, 5);
        // rows 300..309 duplicate rows 10..19: ties at distance 0
        System.arraycopy(bank, 10 * d, bank, 300 * d, 10 * d);
        float[] q = Arrays.copyOfRange(bank, 10 * d, 20 * d);
        NearestNeighbors nn = NearestNeighbors.builder(bank, n, d).optChunkRows(64).optDevice(Device.cpu()).build();
        NearestNeighbors.Result r = nn.search(q, 10, 2);
        for (int a = 0; a < 10; a++) {
            assertEquals(10 + a, r.index(a, 0));
            assertEquals(300 + a, r.index(a, 1));
            assertEquals(0f, r.distance(a, 0));
            assertEquals(0f, r.distance(a, 1));
        }
        assertMatchesBruteForce(nn, bank, n, q, 10, d, 3);
    }

    @Test
    void givenFarAwayClusteredData_whenSearching_thenFloatCancellationDoesNotChangeTheAnswer() {
        // large norms, tiny differences: ||q||^2 - 2 q.b + ||b||^2 cancels badly in float32
        int n = 800;
        int d = 32;
        float[] bank = gaussian(n, d, 6);
        for (int i = 0; i < bank.length; i++) {
            bank[i] = 1000f + 0.01f * bank[i];
        }
        float[] q = gaussian(9, d, 7);
        for (int i = 0; i < q.length; i++) {
            q[i] = 1000f + 0.01f * q[i];
        }
        NearestNeighbors nn = NearestNeighbors.builder(bank, n, d).optChunkRows(128).optDevice(Device.cpu()).build();
        assertMatchesBruteForce(nn, bank, n, q, 9, d, 5);
    }

    @Test
    void givenManager_whenSearching_thenNoArrayIsLeftBehind() {
        int n = 700;
        int d = 10;
        float[] bank = gaussian(n, d, 8);
        float[] q = gaussian(30, d, 9);
        NearestNeighbors nn = NearestNeighbors.builder(bank, n, d).optChunkRows(128).optDevice(Device.cpu()).build();
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            m.create(new float[] {1, 2, 3});
            int before = Tensors.liveArrays(m);
            for (int i = 0; i < 3; i++) {
                nn.search(m, q, 30, 4, false);
            }
            assertEquals(before, Tensors.liveArrays(m));
        }
    }

    @Test
    void givenConcurrentSearches_whenRunTogether_thenEachEqualsTheSequentialAnswer() throws Exception {
        int n = 2000;
        int d = 20;
        float[] bank = gaussian(n, d, 10);
        NearestNeighbors nn = NearestNeighbors.builder(bank, n, d).optChunkRows(300).optDevice(Device.cpu()).build();
        List<float[]> qs = new ArrayList<>();
        List<int[]> expected = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            float[] q = gaussian(25, d, 100 + t);
            qs.add(q);
            expected.add(nn.search(q, 25, 3).indices());
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<int[]>> fs = new ArrayList<>();
            for (float[] q : qs) {
                fs.add(pool.submit(() -> nn.search(q, 25, 3).indices()));
            }
            for (int t = 0; t < fs.size(); t++) {
                assertArrayEquals(expected.get(t), fs.get(t).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void givenBadArguments_whenSearching_thenClearErrors() {
        float[] bank = gaussian(10, 4, 11);
        NearestNeighbors nn = NearestNeighbors.builder(bank, 10, 4).optDevice(Device.cpu()).build();
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class,
                () -> nn.search(gaussian(1, 4, 1), 1, 11));
        assertTrue(k.getMessage().contains("exceeds"), k.getMessage());
        assertThrows(IllegalArgumentException.class, () -> nn.search(gaussian(1, 4, 1), 1, 0));
        assertThrows(IllegalArgumentException.class, () -> nn.search(new float[5], 1, 1));
        float[] nan = gaussian(2, 4, 2);
        nan[6] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> nn.search(nan, 2, 1));
        assertTrue(e.getMessage().contains("row 1, column 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NearestNeighbors.builder(new float[0], 0, 4));
        assertEquals(0, nn.search(new float[0], 0, 1).numQueries());
    }
}
