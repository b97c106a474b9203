package org.anomaly4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link NumpyRandom#permutation(long, int)} against constants produced by NumPy 1.24.2
 * ({@code /usr/bin/python3}); each constant carries the one-liner that generated it.
 */
class NumpyRandomTest {

    // python3 -c "import numpy as np; [print(s, np.random.default_rng(s).permutation(10).tolist()) for s in [0,1,42,12345]]"
    @Test
    void givenSmallSeeds_whenPermutingTen_thenMatchesNumpy() {
        assertArrayEquals(new int[] {4, 6, 2, 7, 3, 5, 9, 0, 8, 1}, NumpyRandom.permutation(0, 10));
        assertArrayEquals(new int[] {8, 4, 7, 0, 1, 2, 5, 9, 6, 3}, NumpyRandom.permutation(1, 10));
        assertArrayEquals(new int[] {5, 6, 0, 7, 3, 2, 4, 9, 1, 8}, NumpyRandom.permutation(42, 10));
        assertArrayEquals(new int[] {4, 8, 1, 3, 7, 9, 6, 0, 2, 5}, NumpyRandom.permutation(12345, 10));
    }

    // python3 -c "import numpy as np; [print(s, np.random.default_rng(s).permutation(10).tolist()) for s in [4294967295, 4294967296, 123456789012345]]"
    @Test
    void givenSeedsAtAndAbove32Bits_whenPermutingTen_thenMatchesNumpy() {
        assertArrayEquals(new int[] {0, 1, 4, 8, 3, 7, 5, 6, 2, 9}, NumpyRandom.permutation(4294967295L, 10));
        assertArrayEquals(new int[] {9, 1, 3, 8, 7, 6, 0, 4, 2, 5}, NumpyRandom.permutation(4294967296L, 10));
        assertArrayEquals(new int[] {5, 2, 8, 3, 0, 9, 4, 7, 1, 6}, NumpyRandom.permutation(123456789012345L, 10));
    }

    // python3 -c "import numpy as np; p=np.random.default_rng(0).permutation(952); print(p[:30].tolist(), p[-30:].tolist(), int((np.arange(952)*p).sum()))"
    @Test
    void givenSeedZero_whenPermuting952Images_thenMatchesPythonDataSplit() {
        int[] perm = NumpyRandom.permutation(0, 952);

        assertEquals(952, perm.length);
        assertArrayEquals(new int[] {
            474, 802, 244, 201, 69, 462, 84, 105, 334, 189, 25, 359, 728, 326, 106,
            181, 2, 531, 683, 713, 451, 497, 480, 270, 8, 208, 877, 755, 933, 530},
            Arrays.copyOfRange(perm, 0, 30));
        assertArrayEquals(new int[] {
            302, 826, 782, 73, 775, 889, 115, 287, 191, 496, 104, 176, 845, 844, 7,
            487, 351, 581, 881, 639, 377, 78, 632, 315, 29, 425, 184, 504, 801, 607},
            Arrays.copyOfRange(perm, 922, 952));
        assertEquals(217033498L, weightedSum(perm));
        assertIsPermutation(perm);
    }

    // python3 -c "import numpy as np; p=np.random.default_rng(7).permutation(100000); print(int((np.arange(100000,dtype=np.int64)*p).sum()), p[:10].tolist())"
    @Test
    void givenSeedSeven_whenPermutingOneHundredThousand_thenChecksumMatchesNumpy() {
        int[] perm = NumpyRandom.permutation(7, 100_000);

        assertArrayEquals(new int[] {45070, 71435, 99538, 45453, 95412, 41945, 31028, 51479, 73092, 36568},
            Arrays.copyOfRange(perm, 0, 10));
        assertEquals(249831384454160L, weightedSum(perm));
        assertIsPermutation(perm);
    }

    // python3 -c "import numpy as np; print(np.random.default_rng(0).permutation(0).tolist(), np.random.default_rng(0).permutation(1).tolist())"
    @Test
    void givenEmptyAndSingletonSizes_whenPermuting_thenReturnsTrivialPermutations() {
        assertArrayEquals(new int[0], NumpyRandom.permutation(0, 0));
        assertArrayEquals(new int[] {0}, NumpyRandom.permutation(0, 1));
    }

    @Test
    void givenSameSeed_whenPermutingTwice_thenResultsAreIdenticalPermutations() {
        int[] first = NumpyRandom.permutation(3, 5_000);
        int[] second = NumpyRandom.permutation(3, 5_000);

        assertArrayEquals(first, second);
        assertIsPermutation(first);
    }

    @Test
    void givenNegativeArguments_whenPermuting_thenRejected() {
        assertThrows(IllegalArgumentException.class, () -> NumpyRandom.permutation(-1, 10));
        assertThrows(IllegalArgumentException.class, () -> NumpyRandom.permutation(0, -1));
    }

    private static long weightedSum(int[] perm) {
        long sum = 0;
        for (int i = 0; i < perm.length; i++) {
            sum += (long) i * perm[i];
        }
        return sum;
    }

    private static void assertIsPermutation(int[] perm) {
        boolean[] seen = new boolean[perm.length];
        for (int v : perm) {
            assertTrue(v >= 0 && v < perm.length, "out of range: " + v);
            assertTrue(!seen[v], "duplicate: " + v);
            seen[v] = true;
        }
    }

    // python3 -c "import numpy as np; [print(s, [int(np.random.default_rng(s).integers(n)) for n in [2,7,100,5966,596624,2147483647]]) for s in [0,1,42,12345,4294967296]]"
    @Test
    void givenSeeds_whenDrawingOneInteger_thenMatchesNumpy() {
        int[] bounds = {2, 7, 100, 5966, 596624, 2147483647};
        long[] seeds = {0, 1, 42, 12345, 4294967296L};
        int[][] expected = {
            {1, 5, 85, 5074, 507502, 1826701614},
            {0, 3, 47, 2823, 282315, 1016164991},
            {0, 0, 8, 532, 53249, 191664963},
            {1, 4, 69, 4171, 417168, 1501552845},
            {1, 3, 52, 3115, 311531, 1121323793},
        };
        for (int s = 0; s < seeds.length; s++) {
            for (int b = 0; b < bounds.length; b++) {
                assertEquals(expected[s][b], NumpyRandom.integers(seeds[s], bounds[b]), "seed " + seeds[s] + ", n " + bounds[b]);
            }
        }
        assertEquals(0, NumpyRandom.integers(5, 1));
        assertThrows(IllegalArgumentException.class, () -> NumpyRandom.integers(0, 0));
    }
}
