package org.anomaly4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;

class AnomalyImageTest {

    /** The 7x5 test pattern ((x*37 + y*91) % 17) / 16. */
    private static AnomalyImage pattern() {
        float[] d = new float[35];
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 7; x++) {
                d[y * 7 + x] = ((x * 37 + y * 91) % 17) / 16f;
            }
        }
        return AnomalyImage.of(7, 5, 1, d);
    }

    @Test
    void givenPattern_whenShrunk_thenMatchesPilBilinear() {
        // PIL 9.4: Image.fromarray(a, mode='F').resize((3, 2), Image.BILINEAR) on the pattern above
        float[] pil = {0.435674f, 0.534091f, 0.476867f, 0.461242f, 0.573864f, 0.533482f};
        AnomalyImage r = pattern().resize(3, 2);
        for (int i = 0; i < pil.length; i++) {
            assertEquals(pil[i], r.get(0, i / 3, i % 3), 1e-5f, "pixel " + i);
        }
    }

    @Test
    void givenPattern_whenEnlarged_thenMatchesPilBilinear() {
        // same, .resize((11, 9), Image.BILINEAR): first two rows
        float[] pil = {0.000000f, 0.085227f, 0.204545f, 0.323864f, 0.443182f, 0.562500f, 0.681818f, 0.801136f,
            0.920455f, 0.460227f, 0.062500f, 0.125000f, 0.210227f, 0.329545f, 0.448864f, 0.568182f, 0.687500f,
            0.581439f, 0.571970f, 0.691288f, 0.424242f, 0.187500f};
        AnomalyImage r = pattern().resize(11, 9);
        for (int i = 0; i < pil.length; i++) {
            assertEquals(pil[i], r.get(0, i / 11, i % 11), 1e-5f, "pixel " + i);
        }
    }

    @Test
    void givenNaN_whenCreating_thenInvalidImageExceptionNamesThePixel() {
        float[] d = new float[12];
        d[7] = Float.NaN;
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> AnomalyImage.of(2, 2, 3, d));
        assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("channel 1"), e.getMessage());
    }

    @Test
    void givenBadShape_whenCreating_thenInvalidImageException() {
        assertThrows(InvalidImageException.class, () -> AnomalyImage.of(0, 2, 1, new float[0]));
        assertThrows(InvalidImageException.class, () -> AnomalyImage.of(2, 2, 2, new float[8]));
        assertThrows(InvalidImageException.class, () -> AnomalyImage.of(2, 2, 1, new float[5]));
    }

    @Test
    void givenRgbImage_whenRoundTrippedThroughBufferedImage_thenValuesKeepEightBitPrecision() {
        float[] d = new float[3 * 4 * 3];
        for (int i = 0; i < d.length; i++) {
            d[i] = (i * 7 % 256) / 255f;
        }
        AnomalyImage a = AnomalyImage.of(4, 3, 3, d);
        AnomalyImage b = AnomalyImage.fromBufferedImage(a.toBufferedImage());
        assertEquals(a, b);
        assertEquals(BufferedImage.TYPE_INT_RGB, a.toBufferedImage().getType());
    }

    @Test
    void givenRgbImage_whenConvertedThroughDjlImage_thenEqual() {
        float[] d = new float[3 * 5 * 4];
        for (int i = 0; i < d.length; i++) {
            d[i] = (i * 11 % 256) / 255f;
        }
        AnomalyImage a = AnomalyImage.of(5, 4, 3, d);
        assertEquals(a, AnomalyImage.fromDjl(a.toDjl()));
    }

    @Test
    void givenImage_whenCentreCropped_thenOffsetsFollowTorchvision() {
        AnomalyImage c = pattern().centerCrop(4, 2);
        // left = round((7-4)/2) = round(1.5) = 2, top = round((5-2)/2) = round(1.5) = 2
        assertEquals(pattern().get(0, 2, 2), c.get(0, 0, 0));
        assertEquals(pattern().get(0, 3, 5), c.get(0, 1, 3));
    }

    @Test
    void givenRgb_whenGrey_thenLumaWeights() {
        AnomalyImage rgb = AnomalyImage.of(1, 1, 3, new float[] {1f, 0f, 0f});
        assertEquals(0.299f, rgb.toGrey().get(0, 0, 0), 1e-6f);
        assertEquals(3, rgb.toGrey().toRgb().channels());
    }

    @Test
    void givenTwoImages_whenFingerprinted_thenEqualOnlyForEqualContent() {
        assertEquals(pattern().fingerprint(), pattern().fingerprint());
        assertNotEquals(pattern().fingerprint(), pattern().resize(7, 6).fingerprint());
    }
}
