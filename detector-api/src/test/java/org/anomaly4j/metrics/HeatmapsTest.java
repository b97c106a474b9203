package org.anomaly4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.Mask;
import org.anomaly4j.api.PixelMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeatmapsTest {
    private static final int W = 20;
    private static final int H = 12;

    /** A grey ramp image, a map rising left to right from 0 to 1.9, a 5x4 mask at (6..10, 3..6). */
    private static AnomalyImage image(int channels) {
        float[] v = new float[channels * W * H];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    v[(c * H + y) * W + x] = (x + y) / (float) (W + H);
                }
            }
        }
        return AnomalyImage.of(W, H, channels, v);
    }

    private static PixelMap map() {
        float[] v = new float[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                v[y * W + x] = x / 10f;
            }
        }
        return PixelMap.of(W, H, v);
    }

    private static Mask mask() {
        boolean[] b = new boolean[W * H];
        for (int y = 3; y <= 6; y++) {
            for (int x = 6; x <= 10; x++) {
                b[y * W + x] = true;
            }
        }
        return Mask.of(W, H, b);
    }

    private static int rgb(BufferedImage im, int x, int y) {
        return im.getRGB(x, y) & 0xFFFFFF;
    }

    @Test
    void givenImageMapAndMask_whenOverlaid_thenPanelIsThreeImagesWide() {
        BufferedImage panel = Heatmaps.overlay(image(3), map(), mask(), 0, 1);
        assertEquals(3 * W, panel.getWidth());
        assertEquals(H, panel.getHeight());
    }

    @Test
    void givenMask_whenOverlaid_thenExactlyItsBoundaryIsDrawnInTheContourColour() {
        BufferedImage panel = Heatmaps.overlay(image(3), map(), mask(), 0, 1);
        Mask m = mask();
        int contour = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                boolean inside = m.get(x, y);
                boolean edge = inside && (x == 6 || x == 10 || y == 3 || y == 6);
                int c = rgb(panel, 2 * W + x, y);
                if (edge) {
                    assertEquals(Heatmaps.CONTOUR_RGB, c, "boundary pixel " + x + "," + y);
                    contour++;
                } else {
                    assertNotEquals(Heatmaps.CONTOUR_RGB, c, "non-boundary pixel " + x + "," + y);
                }
                // the contour is only on the third panel
                assertNotEquals(Heatmaps.CONTOUR_RGB, rgb(panel, x, y));
                assertNotEquals(Heatmaps.CONTOUR_RGB, rgb(panel, W + x, y));
            }
        }
        assertEquals(2 * 5 + 2 * 2, contour);
    }

    @Test
    void givenMaskTouchingTheImageBorder_whenOverlaid_thenTheBorderPixelsAreContour() {
        boolean[] b = new boolean[W * H];
        b[0] = true;
        b[1] = true;
        b[W] = true;
        b[W + 1] = true;
        BufferedImage panel = Heatmaps.overlay(image(1), map(), Mask.of(W, H, b), 0, 1);
        assertEquals(Heatmaps.CONTOUR_RGB, rgb(panel, 2 * W, 0));
        assertEquals(Heatmaps.CONTOUR_RGB, rgb(panel, 2 * W + 1, 1));
    }

    @Test
    void givenNoMask_whenOverlaid_thenNoContourAndThirdPanelIsTheBlend() {
        BufferedImage panel = Heatmaps.overlay(image(3), map(), null, 0, 1);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int in = rgb(panel, x, y);
                int heat = rgb(panel, W + x, y);
                int blend = rgb(panel, 2 * W + x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    int expected = ((in >> shift & 0xFF) + (heat >> shift & 0xFF) + 1) / 2;
                    assertEquals(expected, blend >> shift & 0xFF, "blend at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void givenRange_whenOverlaid_thenValuesOutsideItAreClampedToTheColourMapEnds() {
        BufferedImage panel = Heatmaps.overlay(image(3), map(), null, 0.5, 1.0);
        // map value x/10: x <= 5 is at or below lo, x >= 10 at or above hi
        assertEquals(Heatmaps.turbo(0), rgb(panel, W + 0, 4));
        assertEquals(Heatmaps.turbo(0), rgb(panel, W + 5, 4));
        assertEquals(Heatmaps.turbo(1), rgb(panel, W + 10, 4));
        assertEquals(Heatmaps.turbo(1), rgb(panel, W + 19, 4));
        assertEquals(Heatmaps.turbo(0.4), rgb(panel, W + 7, 4));
    }

    @Test
    void givenInput_whenOverlaid_thenTheFirstPanelIsTheImage() {
        AnomalyImage im = image(3);
        BufferedImage panel = Heatmaps.overlay(im, map(), mask(), 0, 1);
        BufferedImage ref = im.toBufferedImage();
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                assertEquals(ref.getRGB(x, y) & 0xFFFFFF, rgb(panel, x, y));
            }
        }
    }

    @Test
    void givenTurbo_whenSampled_thenItRunsFromDarkBlueToDarkRed() {
        int dark = Heatmaps.turbo(0);
        int lo = Heatmaps.turbo(0.12);
        int mid = Heatmaps.turbo(0.5);
        int hi = Heatmaps.turbo(1);
        assertTrue((dark >> 16 & 0xFF) < 80 && (dark >> 8 & 0xFF) < 80 && (dark & 0xFF) < 80, "bottom is dark");
        assertTrue((lo & 0xFF) > 2 * (lo >> 16 & 0xFF), "low end is blue");
        assertTrue((mid >> 8 & 0xFF) > 200, "middle is green-ish");
        assertTrue((hi >> 16 & 0xFF) > (hi & 0xFF), "high end is red");
    }

    @Test
    void givenMapOfAnotherSize_whenOverlaid_thenItIsResizedToTheImage() {
        PixelMap small = PixelMap.of(5, 3, new float[15]);
        BufferedImage panel = Heatmaps.overlay(image(3), small, mask(), 0, 1);
        assertEquals(3 * W, panel.getWidth());
        assertEquals(Heatmaps.turbo(0), rgb(panel, W + 3, 3));
    }

    @Test
    void givenInvertedRange_whenOverlaid_thenTheArgumentIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Heatmaps.overlay(image(3), map(), null, 1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> Heatmaps.overlay(image(3), map(), null, 0, Double.NaN));
    }

    @Test
    void givenPanel_whenWrittenToANewDirectory_thenAReadablePngWithTheSamePixelsExists(@TempDir Path dir)
            throws Exception {
        BufferedImage panel = Heatmaps.overlay(image(3), map(), mask(), 0, 1);
        Path file = dir.resolve("a/b/overlay.png");
        Heatmaps.writePng(panel, file);
        assertTrue(Files.size(file) > 0);
        BufferedImage back = ImageIO.read(file.toFile());
        assertNotNull(back, "ImageIO reads the PNG back");
        assertEquals(panel.getWidth(), back.getWidth());
        assertEquals(panel.getHeight(), back.getHeight());
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < 3 * W; x++) {
                assertEquals(rgb(panel, x, y), rgb(back, x, y));
            }
        }
    }
}
