package org.anomaly4j.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class KeySortTest {

    private static void check(int[] a) {
        int[] expected = a.clone();
        Arrays.sort(expected);
        KeySort.sort(a);
        assertArrayEquals(expected, a);
    }

    @Test
    void givenUniformKeysOverTheWholeIntRange_whenSorted_thenAsArraysSort() {
        Random r = new Random(1);
        int[] a = new int[300_000];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextInt();
        }
        a[0] = Integer.MIN_VALUE;
        a[1] = Integer.MAX_VALUE;
        check(a);
    }

    @Test
    void givenSkewedFloatKeysWithHeavyTies_whenSorted_thenAsArraysSort() {
        Random r = new Random(2);
        int[] a = new int[400_000];
        for (int i = 0; i < a.length; i++) {
            // half exact zeros (a ReLU-like map), the rest Gaussian floats as sortable keys
            float f = i % 2 == 0 ? 0f : (float) r.nextGaussian();
            int bits = Float.floatToRawIntBits(f);
            a[i] = bits ^ ((bits >> 31) & 0x7FFFFFFF);
        }
        check(a);
    }

    @Test
    void givenNarrowRangeAndSmallArrays_whenSorted_thenAsArraysSort() {
        Random r = new Random(3);
        int[] a = new int[100_000];
        for (int i = 0; i < a.length; i++) {
            a[i] = 1_000_000 + r.nextInt(5);
        }
        check(a);
        check(new int[0]);
        check(new int[] {3, -1, 2});
        int[] same = new int[70_000];
        Arrays.fill(same, 42);
        check(same);
    }
}
