package org.anomaly4j.reconstruction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import org.anomaly4j.api.InvalidConfigException;
import org.anomaly4j.reconstruction.ReconstructionConfig.Method;
import org.anomaly4j.tensor.Tensors;
import org.junit.jupiter.api.Test;

class OpsTest {
    @Test
    void givenRiadMasks_whenSummed_thenEveryPixelIsHiddenExactlyOnce() {
        int h = 16;
        int w = 12;
        float[] m = Ops.masks(h, w, 4, 3, new Random(1));
        for (int p = 0; p < h * w; p++) {
            float s = m[p] + m[h * w + p] + m[2 * h * w + p];
            assertEquals(1f, s, "pixel " + p);
        }
        // cells are hidden whole: pixels of one 4x4 cell share their mask
        assertEquals(m[0], m[3 * w + 3]);
    }

    @Test
    void givenCellSizeThatDoesNotDivide_whenMasked_thenEdgeCellsAreShortAndEveryPixelIsHiddenOnce() {
        int h = 28;
        int w = 28;
        float[] m = Ops.masks(h, w, 8, 3, new Random(2));
        for (int p = 0; p < h * w; p++) {
            assertEquals(1f, m[p] + m[h * w + p] + m[2 * h * w + p], "pixel " + p);
        }
        for (int s = 0; s < 3; s++) {
            int o = s * h * w;
            // the edge cell (rows and columns 24..27) is one cell: its pixels share their mask
            assertEquals(m[o + 24 * w + 24], m[o + 27 * w + 27]);
            assertEquals(m[o + 24 * w], m[o + 27 * w + 7]);
        }
    }

    @Test
    void givenDefaultMaskSizes_whenInputIs28_thenAccepted() {
        ReconstructionConfig c = ReconstructionConfig.fromParameters(Method.RIAD, Map.of("width", "28", "height", "28"));
        assertArrayEquals(new int[] {2, 4, 8, 16}, c.maskSizes());
    }

    @Test
    void givenImage_whenRotatedFourTimes_thenUnchanged() {
        float[] x = new float[2 * 5 * 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        float[] r = x;
        for (int k = 0; k < 4; k++) {
            r = Ops.rotate(r, 2, 5, 1);
        }
        assertArrayEquals(x, r);
        float[] once = Ops.rotate(x, 2, 5, 1);
        assertNotEquals(Arrays.toString(x), Arrays.toString(once));
        assertArrayEquals(Ops.rotate(x, 2, 5, 2), Ops.rotate(once, 2, 5, 1));
    }

    @Test
    void givenPermutation_whenShuffled_thenSameValuesMoved() {
        float[] x = new float[8 * 8];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        int[] perm = Ops.permutation(16, new Random(5));
        float[] s = Ops.shuffle(x, 1, 8, 8, perm);
        float[] a = x.clone();
        float[] b = s.clone();
        Arrays.sort(a);
        Arrays.sort(b);
        assertArrayEquals(a, b);
        assertNotEquals(Arrays.toString(x), Arrays.toString(s));
        // patch 0 of the output is patch perm[0] of the input
        int src = perm[0];
        assertEquals(x[(src / 4) * 2 * 8 + (src % 4) * 2], s[0]);
    }

    @Test
    void givenGrey_whenApplied_thenChannelsEqualTheirMean() {
        float[] x = {0f, 1f, 0.5f, 0.25f, 1f, 0f};
        float[] g = Ops.grey(x, 3, 1, 2);
        assertArrayEquals(new float[] {0.5f, 0.41666666f, 0.5f, 0.41666666f, 0.5f, 0.41666666f}, g, 1e-6f);
    }

    @Test
    void givenMemory_whenAddressed_thenWeightsAreShrunkAndSumToOne() {
        try (NDManager m = Tensors.newRootManager()) {
            Memory mem = new Memory(10, 4, 0.1);
            mem.initialize(m, DataType.FLOAT32, new Shape(1, 4));
            NDArray z = m.randomNormal(new Shape(3, 4));
            NDList out = mem.forward(new ParameterStore(m, false), new NDList(z), false);
            float[] w = out.get(1).toFloatArray();
            for (int i = 0; i < 3; i++) {
                double s = 0;
                for (int j = 0; j < 10; j++) {
                    float v = w[i * 10 + j];
                    s += v;
                    assertEquals(true, v == 0f || v > 0f);
                }
                assertEquals(1.0, s, 1e-4);
            }
            assertEquals(new Shape(3, 4), out.get(0).getShape());
        }
    }

    @Test
    void givenSizes_whenDepthIsAuto_thenStagesStopAtEightPixels() {
        assertEquals(2, ReconstructionConfig.builder(Method.AE).optSize(28, 28).build().depth());
        assertEquals(3, ReconstructionConfig.builder(Method.AE).optSize(64, 64).build().depth());
        assertEquals(5, ReconstructionConfig.builder(Method.AE).optSize(224, 224).build().depth());
    }

    @Test
    void givenInvalidMethodParameters_whenConfigured_thenNamed() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ReconstructionConfig.fromParameters(Method.RIAD, Map.of("mask_sizes", "2,65")));
        assertEquals("mask_sizes", e.parameter());
        e = assertThrows(InvalidConfigException.class,
                () -> ReconstructionConfig.fromParameters(Method.RESTORATION, Map.of("degrade", "grey", "channels", "1")));
        assertEquals("degrade", e.parameter());
        e = assertThrows(InvalidConfigException.class,
                () -> ReconstructionConfig.fromParameters(Method.AE, Map.of("mc_samples", "3")));
        assertEquals("mc_samples", e.parameter());
    }
}
