package org.anomaly4j.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MaskResizeTest {
    // Expected: Pillow 9.4, Image.fromarray(np.arange(in).reshape(1, in), 'I').resize((out, 1), Image.NEAREST).
    @Test
    void nearestSourcesEqualPillow() {
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1}, Mask.nearestSources(2, 7));
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1}, Mask.nearestSources(2, 15));
        assertArrayEquals(new int[] {1, 3, 5}, Mask.nearestSources(7, 3));
        assertArrayEquals(new int[] {1, 3, 6, 8}, Mask.nearestSources(10, 4));
    }

    @Test
    void resizeKeepsTheNearestBits() {
        boolean[] bits = {true, false, false, true};
        Mask m = Mask.of(2, 2, bits).resize(7, 1);
        assertEquals(7, m.width());
        boolean[] expect = {false, false, false, false, true, true, true}; // row 1 of the source
        for (int x = 0; x < 7; x++) {
            assertEquals(expect[x], m.get(x, 0), "x=" + x);
        }
    }
}
