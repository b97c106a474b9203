package org.anomaly4j.pixel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.anomaly4j.api.InvalidConfigException;
import org.anomaly4j.tensor.FeatureLevel;
import org.junit.jupiter.api.Test;

class PatchEmbeddingTest {
    private static final List<FeatureLevel> LEVELS = List.of(new FeatureLevel("a", 4, 1), new FeatureLevel("b", 8, 2),
            new FeatureLevel("c", 16, 1));

    @Test
    void givenStrideList_whenParsed_thenCanonicalAndBadOnesNamed() {
        assertArrayEquals(new int[] {8, 16}, PatchEmbedding.parseStrides("s8+s16", "layers"));
        assertEquals("4,8,16", PatchEmbedding.formatStrides(PatchEmbedding.parseStrides(" 4, 8 ,16", "layers")));
        for (String bad : new String[] {"", "8,8", "x", "0"}) {
            InvalidConfigException e = assertThrows(InvalidConfigException.class,
                    () -> PatchEmbedding.parseStrides(bad, "layers"));
            assertEquals("layers", e.parameter());
        }
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> PatchEmbedding.of(LEVELS, new int[] {32}, 0, 3, PatchEmbedding.Resize.BILINEAR));
        assertTrue(e.getMessage().contains("32"), e.getMessage());
    }

    /** torch: F.interpolate(x, size=(4, 4), mode="nearest") of a 2x2 map repeats every value 2x2. */
    @Test
    void givenNearestResize_whenUpsampling_thenValuesRepeatAsTorch() {
        assertArrayEquals(new long[] {0, 0, 1, 1}, PatchEmbedding.nearestIndex(2, 4));
        assertArrayEquals(new long[] {0, 0, 1, 1, 2}, PatchEmbedding.nearestIndex(3, 5)); // floor(i * 0.6)
        try (NDManager m = NDManager.newBaseManager()) {
            NDList maps = maps(m);
            PatchEmbedding e = PatchEmbedding.of(LEVELS, new int[] {4, 16}, 0, 1, PatchEmbedding.Resize.NEAREST);
            NDArray out = e.embed(maps);
            assertEquals(new Shape(1, 2, 4, 4), out.getShape());
            float[] c16 = out.get("0, 1").toFloatArray();
            assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3}, c16);
        }
    }

    /**
     * Local awareness: AvgPool2d(3, 1, 1) counts the zero padding (a constant map of ones has 4/9 in the
     * corners, 6/9 on the edges); bilinear halving with align_corners=False is the 2x2 mean.
     */
    @Test
    void givenPoolAndBilinear_whenEmbedding_thenMatchesTorchSemantics() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDList maps = maps(m);
            PatchEmbedding e = PatchEmbedding.of(LEVELS, new int[] {4, 8}, 8, 3, PatchEmbedding.Resize.BILINEAR);
            assertEquals(3, e.dimension());
            assertEquals(8, e.gridStride());
            NDArray out = e.embed(maps);
            assertEquals(new Shape(1, 3, 2, 2), out.getShape());
            // level b is all ones on a 2x2 grid: every 3x3 window covers 4 of 9 cells
            assertArrayEquals(new float[] {4f / 9, 4f / 9, 4f / 9, 4f / 9}, out.get("0, 1").toFloatArray(), 1e-6f);
            // level a (4x4 of ones): pooled corners 4/9, edges 6/9, inside 1; the 2x2 means are (4+6+6+9)/36
            float v = (4f + 6 + 6 + 9) / 36;
            assertArrayEquals(new float[] {v, v, v, v}, out.get("0, 0").toFloatArray(), 1e-6f);
        }
    }

    private static NDList maps(NDManager m) {
        NDArray a = m.ones(new Shape(1, 1, 4, 4));
        NDArray b = m.ones(new Shape(1, 2, 2, 2));
        NDArray c = m.create(new float[] {0, 1, 2, 3}, new Shape(1, 1, 2, 2));
        return new NDList(a, b, c);
    }
}
