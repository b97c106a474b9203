package org.anomaly4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import org.anomaly4j.api.InvalidConfigException;

class CoresetTest {

    /** Gaussian clusters: real banks are clumpy, which is where pruning matters. */
    static float[] clustered(int n, int d, int clusters, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] centres = new float[clusters][d];
        for (float[] c : centres) {
            for (int i = 0; i < d; i++) {
                c[i] = (float) (3 * r.nextGaussian());
            }
        }
        float[] x = new float[n * d];
        for (int p = 0; p < n; p++) {
            float[] c = centres[r.nextInt(clusters)];
            for (int i = 0; i < d; i++) {
                x[p * d + i] = c[i] + (float) r.nextGaussian();
            }
        }
        return x;
    }

    /** The specification, written plainly: double precision, first index wins ties. */
    static int[] naiveGreedy(float[] x, int n, int d, int m, int start) {
        double[] minD = new double[n];
        Arrays.fill(minD, Double.POSITIVE_INFINITY);
        int[] sel = new int[m];
        int idx = start;
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < n; p++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    double a = (double) x[p * d + j] - (double) x[idx * d + j];
                    s += a * a;
                }
                minD[p] = Math.min(minD[p], Math.sqrt(s));
            }
            int best = 0;
            for (int p = 1; p < n; p++) {
                if (minD[p] > minD[best]) {
                    best = p;
                }
            }
            idx = best;
            minD[idx] = 0;
            sel[i] = idx;
        }
        return sel;
    }

    static double naiveCoverage(float[] x, int n, int d, int[] sel) {
        double worst = 0;
        for (int p = 0; p < n; p++) {
            double near = Double.POSITIVE_INFINITY;
            for (int s : sel) {
                double t = 0;
                for (int j = 0; j < d; j++) {
                    double a = (double) x[p * d + j] - x[s * d + j];
                    t += a * a;
                }
                near = Math.min(near, t);
            }
            worst = Math.max(worst, Math.sqrt(near));
        }
        return worst;
    }

    private static Coreset.Builder base(double ratio) {
        return Coreset.builder().setRatio(ratio).optSeed(7).optProjection(Coreset.Projection.none());
    }

    @Test
    void givenSmallBank_whenExactGreedy_thenPicksEqualTheNaiveDoubleImplementation() {
        int n = 600;
        int d = 12;
        float[] x = clustered(n, d, 5, 1);
        Coreset.Selection s = base(0.1).optMethod(Coreset.Method.EXACT).optThreads(2).build().select(x, n, d, null);
        assertEquals(60, s.size());
        assertArrayEquals(naiveGreedy(x, n, d, 60, s.startIndex()), s.indices());
    }

    @Test
    void givenSmallBanks_whenFastGreedy_thenPicksAreIdenticalToExact() {
        int[][] shapes = {{1000, 8, 4}, {777, 33, 1}, {2048, 64, 16}, {50, 3, 2}};
        for (int[] sh : shapes) {
            int n = sh[0];
            int d = sh[1];
            float[] x = clustered(n, d, sh[2], n + d);
            Coreset.Selection exact = base(0.2).optMethod(Coreset.Method.EXACT).build().select(x, n, d, null);
            for (int cands : new int[] {2, 7, 64, 4096}) {
                Coreset.Selection fast = base(0.2).optMethod(Coreset.Method.FAST).optCandidates(cands).optThreads(2)
                        .build().select(x, n, d, null);
                assertArrayEquals(exact.indices(), fast.indices(), "n=" + n + " d=" + d + " candidates=" + cands);
                assertEquals(exact.startIndex(), fast.startIndex());
            }
        }
    }

    @Test
    void givenBankWithDuplicateRows_whenFastGreedy_thenTiesBreakToTheLowestRowAsInExact() {
        int n = 300;
        int d = 4;
        float[] x = clustered(n, d, 3, 3);
        // rows 100..199 copy rows 0..99: exact ties everywhere
        System.arraycopy(x, 0, x, 100 * d, 100 * d);
        Coreset.Selection exact = base(0.5).optMethod(Coreset.Method.EXACT).build().select(x, n, d, null);
        Coreset.Selection fast = base(0.5).optMethod(Coreset.Method.FAST).optCandidates(8).build().select(x, n, d, null);
        assertArrayEquals(exact.indices(), fast.indices());
        assertArrayEquals(naiveGreedy(x, n, d, 150, exact.startIndex()), exact.indices());
    }

    @Test
    void givenMorePicksThanDistinctRows_whenSelecting_thenFastKeepsPickingTheFirstRowAsExactDoes() {
        int d = 3;
        float[] distinct = clustered(8, d, 2, 12);
        int n = 80;
        float[] x = new float[n * d];
        for (int p = 0; p < n; p++) {
            System.arraycopy(distinct, (p % 8) * d, x, p * d, d);
        }
        int[] naive = naiveGreedy(x, n, d, 40, 5);
        for (Coreset.Method method : Coreset.Method.values()) {
            int[] got = base(0.5).optStartIndex(5).optMethod(method).optCandidates(4).build().select(x, n, d, null)
                    .indices();
            assertArrayEquals(naive, got, method.name());
        }
        assertEquals(0, naive[39]);
    }

    @Test
    void givenFastSelection_whenDone_thenTheCallersEngineThreadCountIsRestored() {
        int before = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        float[] x = clustered(3000, 16, 4, 13);
        base(0.05).optThreads(2).build().select(x, 3000, 16, null);
        assertEquals(before, ai.djl.pytorch.jni.JniUtils.getNumThreads());
    }

    @Test
    void givenFixedStart_whenSelecting_thenTheStartIsUsedAndNotKept() {
        int n = 200;
        int d = 5;
        float[] x = clustered(n, d, 2, 4);
        Coreset.Selection s = base(0.05).optStartIndex(17).build().select(x, n, d, null);
        assertEquals(17, s.startIndex());
        assertEquals(10, s.size());
        assertArrayEquals(naiveGreedy(x, n, d, 10, 17), s.indices());
        // the first pick is the farthest row from the start, never the start itself
        assertTrue(s.indices()[0] != 17);
    }

    @Test
    void givenSameSeed_whenSelectingTwice_thenSamePicks_andAnotherSeedStartsElsewhere() {
        float[] x = clustered(500, 6, 3, 5);
        int[] a = base(0.1).build().select(x, 500, 6, null).indices();
        int[] b = base(0.1).build().select(x, 500, 6, null).indices();
        assertArrayEquals(a, b);
        Coreset.Selection c = base(0.1).optSeed(8).build().select(x, 500, 6, null);
        Coreset.Selection e = base(0.1).build().select(x, 500, 6, null);
        assertTrue(c.startIndex() != e.startIndex() || Arrays.equals(c.indices(), e.indices()));
    }

    @Test
    void givenSelection_whenCoverageComputed_thenItEqualsTheNaiveMaxMinDistance() {
        int n = 400;
        int d = 7;
        float[] x = clustered(n, d, 4, 6);
        int[] sel = base(0.1).build().select(x, n, d, null).indices();
        assertEquals(naiveCoverage(x, n, d, sel), Coreset.coverage(x, n, d, sel), 1e-6);
    }

    @Test
    void givenProgressListener_whenSelecting_thenCoresetStageReachesTheTotal() {
        float[] x = clustered(1000, 4, 2, 7);
        List<long[]> seen = new ArrayList<>();
        base(0.3).build().select(x, 1000, 4, (stage, done, total) -> {
            assertEquals(Coreset.STAGE, stage);
            seen.add(new long[] {done, total});
        });
        assertTrue(seen.size() >= 2);
        assertArrayEquals(new long[] {300, 300}, seen.get(seen.size() - 1));
    }

    @Test
    void givenRatioOne_whenSelecting_thenEveryRowIsKeptInOrder() {
        float[] x = clustered(10, 3, 1, 8);
        Coreset.Selection s = base(1.0).build().select(x, 10, 3, null);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, s.indices());
        assertEquals(-1, s.startIndex());
    }

    @Test
    void givenBadRatios_whenBuilding_thenClearErrorsNameTheRatio() {
        for (double r : new double[] {0, -0.1, 1.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> Coreset.builder().setRatio(r));
            assertEquals("ratio", e.parameter());
            assertTrue(e.getMessage().contains("ratio"), e.getMessage());
        }
        InvalidConfigException missing = assertThrows(InvalidConfigException.class, () -> Coreset.builder().build());
        assertTrue(missing.getMessage().contains("required"), missing.getMessage());
    }

    @Test
    void givenRatioLeavingNoRow_whenSelecting_thenErrorSaysSo() {
        float[] x = clustered(10, 2, 1, 9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> base(0.05).build().select(x, 10, 2, null));
        assertTrue(e.getMessage().contains("floor(rows * ratio) = 0"), e.getMessage());
    }

    @Test
    void givenBadBanks_whenSelecting_thenErrorsNameTheProblem() {
        Coreset c = base(0.5).build();
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> c.select(new float[0], 0, 4, null));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> c.select(new float[7], 2, 4, null));
        assertTrue(size.getMessage().contains("expected rows x dim"), size.getMessage());
        float[] nan = clustered(5, 3, 1, 10);
        nan[3 * 3 + 1] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.select(nan, 5, 3, null));
        assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("row 3, column 1"), e.getMessage());
        float[] inf = clustered(5, 3, 1, 10);
        inf[0] = Float.NEGATIVE_INFINITY;
        assertThrows(IllegalArgumentException.class, () -> c.select(inf, 5, 3, null));
        assertThrows(IllegalArgumentException.class, () -> c.select(null, 5, 3, null));
    }

    @Test
    void givenProjectionSettings_whenResolvingTheTargetDimension_thenJohnsonLindenstraussAppliesOnlyWhenItReduces() {
        // sklearn: johnson_lindenstrauss_min_dim(596624, eps=0.9) = 328; 100000 -> 284
        assertEquals(328, Coreset.Projection.johnsonLindenstraussMinDim(596_624, 0.9));
        assertEquals(284, Coreset.Projection.johnsonLindenstraussMinDim(100_000, 0.9));
        assertEquals(0, Coreset.Projection.auto().targetDim(596_624, 128));
        assertEquals(284, Coreset.Projection.auto().targetDim(100_000, 1536));
        assertEquals(0, Coreset.Projection.none().targetDim(100_000, 1536));
        assertEquals(64, Coreset.Projection.parse("64").targetDim(10, 128));
        assertEquals(0, Coreset.Projection.parse("none").targetDim(10, 128));
        assertThrows(InvalidConfigException.class, () -> Coreset.Projection.parse("sideways"));
        assertThrows(InvalidConfigException.class, () -> Coreset.Projection.auto(1.5));
    }

    @Test
    void givenWideBank_whenProjected_thenFastAndExactAgreeAndCoverageStaysClose() {
        int n = 1500;
        int d = 400;
        float[] x = clustered(n, d, 6, 11);
        Coreset.Builder b = Coreset.builder().setRatio(0.05).optSeed(3).optProjection(Coreset.Projection.dims(40));
        Coreset.Selection fast = b.optMethod(Coreset.Method.FAST).build().select(x, n, d, null);
        Coreset.Selection exact = b.optMethod(Coreset.Method.EXACT).build().select(x, n, d, null);
        assertEquals(40, fast.dimension());
        assertArrayEquals(exact.indices(), fast.indices());
        Coreset.Selection full = Coreset.builder().setRatio(0.05).optSeed(3).optProjection(Coreset.Projection.none())
                .build().select(x, n, d, null);
        double covProjected = Coreset.coverage(x, n, d, fast.indices());
        double covFull = Coreset.coverage(x, n, d, full.indices());
        assertTrue(covProjected < 1.3 * covFull, covProjected + " vs " + covFull);
    }
}
