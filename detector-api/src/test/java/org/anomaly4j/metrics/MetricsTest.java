package org.anomaly4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.anomaly4j.api.Mask;
import org.anomaly4j.api.PixelMap;
import org.junit.jupiter.api.Test;

/**
 * Image-level metrics against scikit-learn 1.2.1 and pixel AUROC against the image-level AUROC.
 *
 * <p>The expected values were produced with {@code /usr/bin/python3} (scikit-learn 1.2.1,
 * numpy 1.24.2) by this snippet:
 * <pre>{@code
 * import numpy as np
 * from sklearn.metrics import roc_auc_score, average_precision_score, precision_recall_curve
 * def f1max(y, s):                      # the reference f1_max, plus the threshold at the argmax
 *     p, r, t = precision_recall_curve(y, s)
 *     f1 = 2 * p * r / np.clip(p + r, 1e-12, None)
 *     k = int(np.argmax(f1))
 *     return float(f1[k]), float(t[k])
 * def show(name, y, s):
 *     print(name, repr(float(roc_auc_score(y, s))), repr(float(average_precision_score(y, s))),
 *           [repr(v) for v in f1max(y, s)])
 * yA = np.array([0,0,1,1,1,0,1,0]); sA = np.array([0.1,0.4,0.35,0.8,0.4,0.4,0.9,0.1])
 * show("A", yA, sA)
 * yB = np.array([(i*37) % 10 < 3 for i in range(60)])
 * sB = np.array([((i*7919) % 1009)/1009.0 + (0.2 if yB[i] else 0.0) for i in range(60)])
 * show("B", yB, sB)
 * yC = np.array([(i*37) % 10 < 3 for i in range(200)])
 * sC = np.array([(((i*7919) % 1000) + (350 if yC[i] else 0)) // 100 / 10.0 for i in range(200)])
 * show("C", yC, sC)
 * }</pre>
 * printing
 * <pre>
 * A 0.8125 0.8166666666666667 ['0.8', '0.35']
 * B 0.623015873015873 0.5092304622714561 ['0.52', '0.6182358771060457']
 * C 0.785952380952381 0.6690511453429935 ['0.5628140703517588', '0.4']
 * </pre>
 * The generators of B (60 distinct scores) and C (200 scores on 14 distinct tenths: many ties)
 * use only integer arithmetic and one IEEE division or addition, so Java rebuilds the same doubles.
 */
class MetricsTest {
    private static final double EPS = 1e-12;

    private static final boolean[] Y_A = {false, false, true, true, true, false, true, false};
    private static final double[] S_A = {0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.9, 0.1};

    private static boolean[] labels(int n) {
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            y[i] = (i * 37) % 10 < 3;
        }
        return y;
    }

    private static double[] scoresB(boolean[] y) {
        double[] s = new double[y.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = ((i * 7919) % 1009) / 1009.0 + (y[i] ? 0.2 : 0.0);
        }
        return s;
    }

    private static double[] scoresC(boolean[] y) {
        double[] s = new double[y.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = ((((i * 7919) % 1000) + (y[i] ? 350 : 0)) / 100) / 10.0;
        }
        return s;
    }

    @Test
    void givenTiedHandVector_whenScored_thenMatchesScikitLearn() {
        assertEquals(0.8125, Metrics.auroc(S_A, Y_A), EPS);
        assertEquals(0.8166666666666667, Metrics.averagePrecision(S_A, Y_A), EPS);
        F1Max f = Metrics.f1Max(S_A, Y_A);
        assertEquals(0.8, f.f1(), EPS);
        assertEquals(0.35, f.threshold(), 0);
    }

    @Test
    void givenSixtyDistinctScores_whenScored_thenMatchesScikitLearn() {
        boolean[] y = labels(60);
        double[] s = scoresB(y);
        assertEquals(0.623015873015873, Metrics.auroc(s, y), EPS);
        assertEquals(0.5092304622714561, Metrics.averagePrecision(s, y), EPS);
        F1Max f = Metrics.f1Max(s, y);
        assertEquals(0.52, f.f1(), EPS);
        assertEquals(0.6182358771060457, f.threshold(), 0);
    }

    @Test
    void givenTwoHundredScoresWithManyTies_whenScored_thenMatchesScikitLearn() {
        boolean[] y = labels(200);
        double[] s = scoresC(y);
        assertEquals(0.785952380952381, Metrics.auroc(s, y), EPS);
        assertEquals(0.6690511453429935, Metrics.averagePrecision(s, y), EPS);
        F1Max f = Metrics.f1Max(s, y);
        assertEquals(0.5628140703517588, f.f1(), EPS);
        assertEquals(0.4, f.threshold(), 0);
    }

    @Test
    void givenF1Threshold_whenAppliedAsScoreAtLeastThreshold_thenReproducesTheF1() {
        boolean[] y = labels(200);
        double[] s = scoresC(y);
        F1Max f = Metrics.f1Max(s, y);
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (int i = 0; i < s.length; i++) {
            boolean predicted = s[i] >= f.threshold();
            if (predicted && y[i]) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (y[i]) {
                fn++;
            }
        }
        assertEquals(2.0 * tp / (2.0 * tp + fp + fn), f.f1(), EPS);
    }

    @Test
    void givenPerfectAndReversedScores_whenAuroc_thenOneAndZero() {
        double[] s = {0.1, 0.2, 0.3, 0.9};
        boolean[] y = {false, false, true, true};
        assertEquals(1.0, Metrics.auroc(s, y), 0);
        assertEquals(1.0, Metrics.averagePrecision(s, y), 0);
        assertEquals(0.0, Metrics.auroc(new double[] {0.9, 0.8, 0.1, 0.0}, y), 0);
    }

    @Test
    void givenAllScoresEqual_whenAuroc_thenOneHalf() {
        assertEquals(0.5, Metrics.auroc(new double[] {1, 1, 1, 1, 1}, new boolean[] {true, false, false, true, false}), 0);
    }

    @Test
    void givenNegatedScores_whenAuroc_thenComplement() {
        boolean[] y = labels(200);
        double[] s = scoresC(y);
        double[] neg = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            neg[i] = -s[i];
        }
        assertEquals(1.0 - Metrics.auroc(s, y), Metrics.auroc(neg, y), EPS);
    }

    @Test
    void givenSignedZeros_whenAuroc_thenTheyTie() {
        // -0.0 == 0.0 in numpy, so one normal at -0.0 and one anomalous at 0.0 tie: AUROC 0.5
        assertEquals(0.5, Metrics.auroc(new double[] {-0.0, 0.0}, new boolean[] {false, true}), 0);
    }

    @Test
    void givenOneClassMismatchOrNonFinite_whenScored_thenIllegalArgumentNamesTheProblem() {
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> Metrics.auroc(new double[] {1, 2}, new boolean[] {false, false}));
        assertTrue(one.getMessage().contains("one class"), one.getMessage());
        IllegalArgumentException len = assertThrows(IllegalArgumentException.class,
                () -> Metrics.auroc(new double[] {1, 2, 3}, new boolean[] {false, true}));
        assertTrue(len.getMessage().contains("3 scores but 2 labels"), len.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> Metrics.auroc(new double[] {1, Double.NaN}, new boolean[] {false, true}));
        assertTrue(nan.getMessage().contains("index 1"), nan.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Metrics.auroc(new double[] {1, Double.POSITIVE_INFINITY}, new boolean[] {false, true}));
        assertThrows(IllegalArgumentException.class,
                () -> Metrics.averagePrecision(new double[] {1, 2}, new boolean[] {false, false}));
        assertThrows(IllegalArgumentException.class,
                () -> Metrics.f1Max(new double[] {1, 2}, new boolean[] {false, false}));
    }

    /** A 2000 x 2000-pixel case, split into four 1000 x 1000 images, with ties (values on a 1/1000 grid). */
    @Test
    void givenFourMillionPixels_whenPixelAuroc_thenEqualsAurocOfFlattenedArrays() {
        int side = 1000;
        int images = 4;
        float[][] maps = new float[images][side * side];
        boolean[][] masks = new boolean[images][side * side];
        double[] flatScores = new double[images * side * side];
        boolean[] flatLabels = new boolean[flatScores.length];
        int k = 0;
        for (int i = 0; i < images; i++) {
            for (int p = 0; p < side * side; p++) {
                int y = p / side;
                int x = p % side;
                boolean defect = i > 0 && x >= 100 * i && x < 100 * i + 150 && y >= 200 && y < 420;
                int v = (int) (((long) i * 31 + (long) y * 7919 + (long) x * 104729) % 1000) + (defect ? 300 : 0);
                maps[i][p] = v / 1000f;
                masks[i][p] = defect;
                flatScores[k] = maps[i][p];
                flatLabels[k] = defect;
                k++;
            }
        }
        double expected = Metrics.auroc(flatScores, flatLabels);
        assertTrue(expected > 0.6 && expected < 0.9, "a non-trivial case: " + expected);
        assertEquals(expected, Metrics.pixelAuroc(maps, masks), 1e-15);
    }

    @Test
    void givenPixelMapsAndMasks_whenPixelAuroc_thenSameAsArrays() {
        float[] m = {0.1f, 0.9f, 0.3f, 0.3f, 0.2f, 0.8f};
        boolean[] b = {false, true, true, false, false, true};
        double fromArrays = Metrics.pixelAuroc(new float[][] {m}, new boolean[][] {b});
        double fromValues = Metrics.pixelAuroc(List.of(PixelMap.of(3, 2, m)), List.of(Mask.of(3, 2, b)));
        assertEquals(fromArrays, fromValues, 0);
        // 3 anomalous x 3 normal pairs: 0.9 and 0.8 beat all three normals (6), 0.3 beats 0.1 and 0.2
        // and ties 0.3 (2.5): 8.5 / 9
        assertEquals(8.5 / 9, fromArrays, EPS);
    }

    @Test
    void givenMismatchedOrOneClassPixels_whenPixelAuroc_thenIllegalArgument() {
        assertThrows(IllegalArgumentException.class,
                () -> Metrics.pixelAuroc(new float[][] {{1f, 2f}}, new boolean[][] {{true}}));
        assertThrows(IllegalArgumentException.class,
                () -> Metrics.pixelAuroc(new float[][] {{1f, 2f}}, new boolean[][] {{false, false}}));
        assertThrows(IllegalArgumentException.class,
                () -> Metrics.pixelAuroc(new float[][] {{1f, Float.NaN}}, new boolean[][] {{false, true}}));
        assertThrows(IllegalArgumentException.class,
                () -> Metrics.pixelAuroc(new float[][] {{1f}}, new boolean[][] {{false}, {true}}));
    }
}
