package org.anomaly4j.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResamplingTest {
    private static final int W = 13;
    private static final int H = 11;

    /** An 8-bit pattern with every kind of neighbourhood: {@code (37x + 11y + (xy mod 7)) mod 256}. */
    private static float[] pattern() {
        float[] v = new float[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                v[y * W + x] = ((x * 37 + y * 11 + (x * y) % 7) % 256) / 255f;
            }
        }
        return v;
    }

    private static int[] levels(float[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.round(v[i] * 255f);
            assertEquals(out[i] / 255f, v[i], "result off the 8-bit grid at " + i);
        }
        return out;
    }

    // Expected values: Pillow 9.4 Image.fromarray(pattern, 'L').resize((nw, nh), Image.BILINEAR).
    @Test
    void eightBitPathEqualsPillowWhenShrinking() {
        int[] pil = {44, 130, 148, 69, 155, 63, 149, 149, 87, 173, 79, 165, 92, 104, 189, 97, 183, 104, 121, 191,
            114, 177, 87, 139, 146, 130, 178, 80, 155, 164, 148, 148, 83, 168, 119};
        assertArrayEquals(pil, levels(Resampling.resizePlanes8(pattern(), 1, W, H, 5, 7)));
    }

    @Test
    void eightBitPathEqualsPillowWhenWideningAndShrinking() {
        int[] pil = {18, 37, 62, 86, 111, 135, 159, 183, 205, 187, 127, 25, 45, 70, 95, 119, 144, 167, 191, 209, 55,
            74, 100, 124, 148, 172, 196, 204, 195, 89, 43, 57, 84, 109, 132, 156, 180, 205, 179, 152, 92, 110, 136, 160,
            185, 205, 195, 136, 46, 56, 72, 94, 119, 144, 169, 193, 206, 196, 106, 26};
        assertArrayEquals(pil, levels(Resampling.resizePlanes8(pattern(), 1, W, H, 20, 3)));
    }

    @Test
    void eightBitPathEqualsPillowWithOneSideUnchanged() {
        int[] pil = {13, 51, 89, 126, 163, 200, 215, 16, 54, 92, 129, 166, 203, 40, 81, 118, 155, 192, 229, 52, 43,
            84, 121, 158, 195, 219, 70, 110, 146, 183, 221, 142, 38, 73, 113, 149, 186, 224, 64, 97, 136, 175, 212, 177,
            29, 68, 100, 139, 178, 215, 180, 32};
        assertArrayEquals(pil, levels(Resampling.resizePlanes8(pattern(), 1, W, H, 13, 4)));
    }

    @Test
    void floatPathStaysWithinOneLevelOfTheEightBitPath() {
        float[] f = Resampling.resizePlanes(pattern(), 1, W, H, 5, 7);
        float[] b = Resampling.resizePlanes8(pattern(), 1, W, H, 5, 7);
        for (int i = 0; i < f.length; i++) {
            assertEquals(b[i], f[i], 1.01 / 255, "pixel " + i);
        }
    }

    @Test
    void imagesOnTheByteGridTakeThePillowPath() {
        AnomalyImage img = AnomalyImage.of(W, H, 1, pattern());
        assertArrayEquals(Resampling.resizePlanes8(pattern(), 1, W, H, 5, 7), img.resize(5, 7).toArray());
        float[] off = pattern();
        off[3] += 1e-3f;
        assertFalse(Resampling.onByteGrid(off));
        assertTrue(Resampling.onByteGrid(pattern()));
        assertArrayEquals(Resampling.resizePlanes(off, 1, W, H, 5, 7),
                AnomalyImage.of(W, H, 1, off).resize(5, 7).toArray());
    }

    @Test
    void offGridValuesAreRejectedByTheEightBitPath() {
        float[] off = pattern();
        off[0] = 0.5f;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Resampling.resizePlanes8(off, 1, W, H, 5, 7));
        assertTrue(e.getMessage().contains("8-bit"), e.getMessage());
    }
}
