package org.anomaly4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NumpyLegacyRandomTest {
    // Expected values printed by NumPy 1.24 (numpy.random.RandomState).
    @Test
    void randintThenUniformEqualNumpy() {
        NumpyLegacyRandom r = new NumpyLegacyRandom(0);
        assertEquals(2732, r.randint(6000));
        assertEquals(0.5928446182250183, r.randomSample(), 0.0);
        assertEquals(0.8442657485810173, r.randomSample(), 0.0);
        assertEquals(0.8579456176227568, r.randomSample(), 0.0);
    }

    @Test
    void largeBoundsAndOtherSeedsEqualNumpy() {
        NumpyLegacyRandom r = new NumpyLegacyRandom(0);
        assertEquals(209652396, r.randint(Integer.MAX_VALUE));
        assertEquals(398764591, r.randint(Integer.MAX_VALUE));
        assertEquals(924231285, r.randint(Integer.MAX_VALUE));
        NumpyLegacyRandom s = new NumpyLegacyRandom(7);
        assertEquals(4, s.randint(5));
        assertEquals(49689, s.randint(100000));
        assertEquals(0.31897222577340323, s.randomSample(), 0.0);
        assertEquals(0.9782228970785825, s.randomSample(), 0.0);
    }

    @Test
    void streamPastOneTwistEqualsNumpy() {
        NumpyLegacyRandom r = new NumpyLegacyRandom(123);
        long sum = 0;
        long[] last = new long[5];
        for (int i = 0; i < 700; i++) {
            long v = r.randint(10);
            sum += v;
            if (i >= 695) {
                last[i - 695] = v;
            }
        }
        assertEquals(3149, sum);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {0, 9, 2, 5, 1}, last);
    }

    @Test
    void normalEqualsNumpy() {
        NumpyLegacyRandom r = new NumpyLegacyRandom(0);
        assertEquals(1.764052345967664, r.gauss(), 1e-15);
        assertEquals(0.4001572083672233, r.gauss(), 1e-15);
        assertEquals(0.9787379841057392, r.gauss(), 1e-15);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new NumpyLegacyRandom(-1));
        assertThrows(IllegalArgumentException.class, () -> new NumpyLegacyRandom(0).randint(0));
    }
}
