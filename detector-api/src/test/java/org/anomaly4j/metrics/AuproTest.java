package org.anomaly4j.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.anomaly4j.api.Mask;
import org.anomaly4j.api.PixelMap;
import org.junit.jupiter.api.Test;

/**
 * AUPRO against the reference implementation ({@code reference/common.py}, function {@code aupro})
 * and against cases whose value is known by hand.
 *
 * <p>The reference fixture: 3 images of 12 rows x 16 columns. Masks (row-major, [image, y, x]):
 * image 0 holds a 4x4 square (rows 2..5, columns 2..5) and a diagonal of three pixels (8,9),
 * (9,10), (10,11), which is ONE region under 8-connectivity; image 1 is defect-free; image 2
 * holds an L (column 3 of rows 1..6 plus row 6 of columns 3..8) and one pixel at (11,15): four
 * regions in all. The map is {@code float32(n / 1000.0)} with
 * {@code n = (k*31 + y*7919 + x*104729) % 1000 + (400 if mask and (x+y) % 3 != 0 else 0)}: many
 * ties, and regions only partly raised. The expected values were printed by {@code
 * /usr/bin/python3} (numpy 1.24.2, scikit-image 0.19.3, scikit-learn 1.2.1) running a verbatim
 * copy of the reference {@code aupro} followed by:
 * <pre>{@code
 * H, W, N = 12, 16, 3
 * masks = np.zeros((N, H, W), bool)
 * masks[0, 2:6, 2:6] = True
 * masks[0, 8, 9] = masks[0, 9, 10] = masks[0, 10, 11] = True
 * masks[2, 1:7, 3] = True; masks[2, 6, 3:9] = True
 * masks[2, 11, 15] = True
 * maps = np.zeros((N, H, W), np.float32)
 * for k in range(N):
 *     for y in range(H):
 *         for x in range(W):
 *             n = (k * 31 + y * 7919 + x * 104729) % 1000 + (400 if masks[k, y, x] and (x + y) % 3 != 0 else 0)
 *             maps[k, y, x] = np.float32(n / 1000.0)
 * for lim in (0.3, 0.05, 1.0):
 *     print(lim, repr(aupro(maps, masks, lim)))
 * from sklearn.metrics import roc_auc_score
 * print("pixel auroc", repr(float(roc_auc_score(masks.ravel(), maps.ravel()))))
 * }</pre>
 * which printed {@code 0.3 0.3644776318228153}, {@code 0.05 0.2299138170697804},
 * {@code 1.0 0.6648496142618849} and {@code pixel auroc 0.7081385025155372}.
 */
class AuproTest {
    private static final int H = 12;
    private static final int W = 16;
    private static final double EPS = 1e-12;

    private static Mask[] fixtureMasks() {
        boolean[][] b = new boolean[3][H * W];
        for (int y = 2; y < 6; y++) {
            for (int x = 2; x < 6; x++) {
                b[0][y * W + x] = true;
            }
        }
        b[0][8 * W + 9] = true;
        b[0][9 * W + 10] = true;
        b[0][10 * W + 11] = true;
        for (int y = 1; y < 7; y++) {
            b[2][y * W + 3] = true;
        }
        for (int x = 3; x < 9; x++) {
            b[2][6 * W + x] = true;
        }
        b[2][11 * W + 15] = true;
        Mask[] m = new Mask[3];
        for (int k = 0; k < 3; k++) {
            m[k] = Mask.of(W, H, b[k]);
        }
        return m;
    }

    private static float[][] fixtureMaps(Mask[] masks) {
        float[][] maps = new float[3][H * W];
        for (int k = 0; k < 3; k++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int n = (k * 31 + y * 7919 + x * 104729) % 1000
                            + (masks[k].get(x, y) && (x + y) % 3 != 0 ? 400 : 0);
                    maps[k][y * W + x] = (float) (n / 1000.0);
                }
            }
        }
        return maps;
    }

    @Test
    void givenReferenceFixture_whenAupro_thenMatchesReferenceImplementation() {
        Mask[] masks = fixtureMasks();
        float[][] maps = fixtureMaps(masks);
        assertEquals(0.3644776318228153, Metrics.aupro(maps, masks, 0.3), EPS);
        assertEquals(0.2299138170697804, Metrics.aupro(maps, masks, 0.05), EPS);
        assertEquals(0.6648496142618849, Metrics.aupro(maps, masks, 1.0), EPS);
    }

    @Test
    void givenReferenceFixture_whenPixelMetrics_thenOneSortGivesBothReferenceValues() {
        Mask[] masks = fixtureMasks();
        float[][] maps = fixtureMaps(masks);
        PixelMetrics pm = Metrics.pixelMetrics(maps, masks, Metrics.DEFAULT_FPR_LIMIT);
        assertEquals(0.7081385025155372, pm.auroc(), EPS);
        assertEquals(0.3644776318228153, pm.aupro(), EPS);
        assertEquals(4, pm.regions());
        assertEquals(3L * H * W, pm.pixels());
        assertEquals(16 + 3 + 11 + 1, pm.positives());
    }

    @Test
    void givenReferenceFixture_whenProCurve_thenItsAreaIsTheAuproAndItIsMonotone() {
        Mask[] masks = fixtureMasks();
        float[][] maps = fixtureMaps(masks);
        ProCurve c = Metrics.proCurve(maps, masks, 0.3);
        assertEquals(Metrics.aupro(maps, masks, 0.3), c.normalizedArea(0.3), EPS);
        assertEquals(Metrics.aupro(maps, masks, 0.05), c.normalizedArea(0.05), EPS);
        double[] fpr = c.fpr();
        double[] pro = c.pro();
        double[] thr = c.thresholds();
        assertEquals(0.0, fpr[0]);
        assertEquals(0.0, pro[0]);
        for (int k = 1; k < c.size(); k++) {
            assertTrue(fpr[k] >= fpr[k - 1] && pro[k] >= pro[k - 1] && thr[k] < thr[k - 1], "point " + k);
        }
        assertTrue(fpr[c.size() - 1] > 0.3, "ends with the first point beyond the limit");
        assertTrue(fpr[c.size() - 2] <= 0.3);
        // the full curve ends at (1, 1)
        ProCurve full = Metrics.proCurve(maps, masks, 1.0);
        assertEquals(1.0, full.fpr()[full.size() - 1], 0);
        assertEquals(1.0, full.pro()[full.size() - 1], EPS);
        assertEquals(Metrics.aupro(maps, masks, 1.0), full.normalizedArea(1.0), EPS);
    }

    @Test
    void givenListsOfPixelMapsAndMasks_whenAupro_thenSameAsArrays() {
        Mask[] masks = fixtureMasks();
        float[][] maps = fixtureMaps(masks);
        List<PixelMap> pm = new ArrayList<>();
        for (float[] m : maps) {
            pm.add(PixelMap.of(W, H, m));
        }
        assertEquals(Metrics.aupro(maps, masks, 0.3), Metrics.aupro(pm, List.of(masks), 0.3), 0);
    }

    /**
     * map = mask: at threshold 1 every anomalous pixel and no normal one is flagged, the curve
     * jumps from (0,0) to (0,1), then goes to (1,1) at threshold 0: PRO is 1 over all of
     * [0, 0.3], so AUPRO = 0.3 * 1 / 0.3 = 1.
     */
    @Test
    void givenMapEqualToMask_whenAupro_thenOne() {
        Mask[] masks = fixtureMasks();
        float[][] maps = new float[3][];
        for (int k = 0; k < 3; k++) {
            boolean[] b = masks[k].toArray();
            maps[k] = new float[b.length];
            for (int p = 0; p < b.length; p++) {
                maps[k][p] = b[p] ? 1f : 0f;
            }
        }
        // PRO sums 1/size once per region pixel (as the reference does): 1 up to rounding
        assertEquals(1.0, Metrics.aupro(maps, masks, 0.3), 1e-15);
        assertEquals(1.0, Metrics.pixelMetrics(maps, masks, 0.3).auroc(), 0);
    }

    /**
     * Two regions of 4 pixels each in an 8x8 image; normal pixels score 0.5, region A scores 1.0
     * (above every normal) and region B 0.0 (below every normal). Curve: (0,0) -> threshold 1.0:
     * A covered, no false positive: (0, 0.5) -> threshold 0.5: every normal flagged: (1, 0.5) ->
     * threshold 0: (1, 1). On [0, 0.3] PRO is 0.5 throughout, so AUPRO@0.3 = 0.3 * 0.5 / 0.3 = 0.5;
     * over the whole range AUPRO@1 is also 0.5 (the last step is vertical at FPR 1).
     */
    @Test
    void givenOneRegionAboveAndOneBelowAllNormals_whenAupro_thenOneHalf() {
        int w = 8;
        boolean[] b = new boolean[64];
        float[] m = new float[64];
        java.util.Arrays.fill(m, 0.5f);
        for (int y = 1; y < 3; y++) {
            for (int x = 1; x < 3; x++) {
                b[y * w + x] = true; // region A
                m[y * w + x] = 1f;
                b[(y + 4) * w + x + 4] = true; // region B
                m[(y + 4) * w + x + 4] = 0f;
            }
        }
        Mask[] masks = {Mask.of(w, 8, b)};
        float[][] maps = {m};
        assertEquals(0.5, Metrics.aupro(maps, masks, 0.3), 0);
        assertEquals(0.5, Metrics.aupro(maps, masks, 1.0), 0);
        assertEquals(0.5, Metrics.proCurve(maps, masks, 0.3).proAt(0.2), 0);
    }

    /**
     * Connectivity matters: pixels a=(1,1) and b=(2,2) touch only diagonally, c=(6,6) stands alone;
     * a and c score above every normal, b below. With 8-connectivity the regions are {a,b} (half
     * covered) and {c} (covered): PRO = (0.5 + 1) / 2 = 0.75 at every FPR below 1. (With
     * 4-connectivity it would be (1 + 0 + 1) / 3.)
     */
    @Test
    void givenDiagonallyTouchingPixels_whenAupro_thenTheyFormOneRegion() {
        int w = 8;
        boolean[] b = new boolean[64];
        float[] m = new float[64];
        java.util.Arrays.fill(m, 0.5f);
        b[w + 1] = true;
        m[w + 1] = 1f;
        b[2 * w + 2] = true;
        m[2 * w + 2] = 0f;
        b[6 * w + 6] = true;
        m[6 * w + 6] = 1f;
        assertEquals(0.75, Metrics.aupro(new float[][] {m}, new Mask[] {Mask.of(w, 8, b)}, 0.3), 0);
        int[] labels = new int[64];
        assertEquals(2, Metrics.labelRegions(b, w, 8, labels));
        assertEquals(labels[w + 1], labels[2 * w + 2]);
        assertEquals(2, labels[6 * w + 6]);
        assertEquals(0, labels[0]);
    }

    @Test
    void givenRingAndNestedBlob_whenLabelled_thenComponentsAsScikitImage() {
        // a 5x5 ring with a separate pixel in its hole: 2 regions (the hole is background)
        int w = 7;
        boolean[] b = new boolean[49];
        for (int i = 1; i <= 5; i++) {
            b[w + i] = true;
            b[5 * w + i] = true;
            b[i * w + 1] = true;
            b[i * w + 5] = true;
        }
        b[3 * w + 3] = true;
        int[] labels = new int[49];
        assertEquals(2, Metrics.labelRegions(b, w, 7, labels));
        assertEquals(1, labels[w + 1]);
        assertEquals(1, labels[5 * w + 5]);
        assertEquals(2, labels[3 * w + 3]);
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 0}, java.util.Arrays.copyOf(labels, 7));
    }

    @Test
    void givenNoAnomalousPixel_whenAupro_thenNaN() {
        float[][] maps = {{0.1f, 0.2f, 0.3f, 0.4f}};
        Mask[] masks = {Mask.empty(2, 2)};
        assertTrue(Double.isNaN(Metrics.aupro(maps, masks, 0.3)));
        PixelMetrics pm = Metrics.pixelMetrics(maps, masks, 0.3);
        assertTrue(Double.isNaN(pm.auroc()) && Double.isNaN(pm.aupro()));
        assertEquals(0, Metrics.proCurve(maps, masks, 0.3).size());
    }

    @Test
    void givenBadInput_whenAupro_thenIllegalArgumentNamesIt() {
        Mask[] masks = {Mask.empty(2, 2)};
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> Metrics.aupro(new float[][] {{1f, 2f, 3f}}, masks, 0.3));
        assertTrue(size.getMessage().contains("image 0"), size.getMessage());
        IllegalArgumentException lim = assertThrows(IllegalArgumentException.class,
                () -> Metrics.aupro(new float[][] {{1f, 2f, 3f, 4f}}, masks, 0));
        assertTrue(lim.getMessage().contains("fprLimit"), lim.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Metrics.aupro(new float[][] {{1f, 2f, 3f, Float.NaN}}, masks, 0.3));
        assertThrows(IllegalArgumentException.class,
                () -> Metrics.aupro(new float[][] {{1f, 2f, 3f, 4f}, {1f, 2f, 3f, 4f}}, masks, 0.3));
    }
}
