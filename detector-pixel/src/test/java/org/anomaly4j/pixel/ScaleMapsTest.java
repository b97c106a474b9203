package org.anomaly4j.pixel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ScaleMapsTest {
    @Test
    void givenOverlappingPatches_whenSpread_thenEachPixelGetsTheMeanOfItsPatches() {
        // 1 x 2 grid of 4x4 patches every 2 pixels on a 6 x 4 image: columns 0-1 only patch 0, 2-3 both, 4-5 patch 1
        float[] map = ScaleMaps.spreadPatches(new float[] {1, 3}, 1, 2, 2, 4, 6, 4);
        float[] row = {1, 1, 2, 2, 3, 3};
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 6; x++) {
                assertEquals(row[x], map[y * 6 + x], 1e-6, "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void givenPixelsNoPatchCovers_whenSpread_thenTheyTakeTheSmallestScore() {
        float[] map = ScaleMaps.spreadPatches(new float[] {5}, 1, 1, 4, 2, 3, 3);
        assertArrayEquals(new float[] {5, 5, 5, 5, 5, 5, 5, 5, 5}, map);
        float[] two = ScaleMaps.spreadPatches(new float[] {2, 7}, 1, 2, 2, 2, 5, 2);
        assertArrayEquals(new float[] {2, 2, 7, 7, 2, 2, 2, 7, 7, 2}, two);
    }

    @Test
    void givenMaps_whenCombined_thenProductSumAndMean() {
        float[][] maps = {{1, 2}, {3, 4}};
        assertArrayEquals(new float[] {3, 8}, ScaleMaps.combine(maps, ScaleMaps.Combine.PRODUCT));
        assertArrayEquals(new float[] {4, 6}, ScaleMaps.combine(maps, ScaleMaps.Combine.SUM));
        assertArrayEquals(new float[] {2, 3}, ScaleMaps.combine(maps, ScaleMaps.Combine.MEAN));
        assertEquals(ScaleMaps.Combine.MEAN, ScaleMaps.Combine.parse("combine", " Mean "));
        assertThrows(org.anomaly4j.api.InvalidConfigException.class, () -> ScaleMaps.Combine.parse("combine", "max"));
    }

    @Test
    void givenWrongScoreCount_whenSpread_thenRejected() {
        assertThrows(IllegalArgumentException.class, () -> ScaleMaps.spreadPatches(new float[3], 2, 2, 1, 1, 4, 4));
    }
}
