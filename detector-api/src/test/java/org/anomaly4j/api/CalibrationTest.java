package org.anomaly4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CalibrationTest {

    @Test
    void givenNormalScores_whenQuantileCalibrated_thenThresholdIsTheQuantileAndHalfMapsThere() {
        double[] s = new double[101];
        for (int i = 0; i <= 100; i++) {
            s[i] = i;
        }
        Calibration c = Calibration.fromNormalScores(s, 0.95);
        assertEquals(95.0, c.threshold(), 1e-12);
        assertEquals(0.5, c.normalize(95.0), 1e-12);
        assertTrue(c.normalize(400) > 0.99 && c.normalize(-300) < 0.01); // scale = sd of 0..100 = 29.3
        assertTrue(c.isAnomalous(96) && !c.isAnomalous(94));
    }

    @Test
    void givenOnlyNormalValidationImages_whenF1Calibrated_thenDoesNotFlagEverything() {
        double[] s = {0.1, 0.2, 0.3, 0.25, 0.15, 0.22, 0.18, 0.12, 0.28, 0.21};
        Calibration c = Calibration.f1Optimal(s, new boolean[s.length]);
        assertTrue(c.method().startsWith("f1-fallback-quantile"), c.method());
        int flagged = 0;
        for (double v : s) {
            if (c.isAnomalous(v)) {
                flagged++;
            }
        }
        assertTrue(flagged <= 1, "the fallback must not collapse to 'all anomalous', flagged " + flagged);
    }

    @Test
    void givenSeparableValidationSet_whenF1Calibrated_thenThresholdSeparatesTheClasses() {
        double[] s = {1, 2, 3, 4, 10, 11, 12};
        boolean[] y = {false, false, false, false, true, true, true};
        Calibration c = Calibration.f1Optimal(s, y);
        assertEquals("f1-optimal", c.method());
        assertEquals(7.0, c.threshold(), 1e-12); // midway between 4 and 10
        for (int i = 0; i < s.length; i++) {
            assertEquals(y[i], c.isAnomalous(s[i]));
            assertEquals(y[i], c.normalize(s[i]) > 0.5);
        }
    }

    @Test
    void givenTiedScoresAcrossClasses_whenF1Calibrated_thenTiesAreNotSplit() {
        double[] s = {1, 5, 5, 5, 9};
        boolean[] y = {false, false, true, true, true};
        Calibration c = Calibration.f1Optimal(s, y);
        // flagging {9,5,5,5}: tp=3 fp=1 F1=6/7; flagging {9}: F1=0.5 -> threshold between 1 and 5
        assertEquals(3.0, c.threshold(), 1e-12);
    }

    @Test
    void givenConstantNormalScores_whenCalibrated_thenScaleStaysPositive() {
        Calibration c = Calibration.fromNormalScores(new double[] {2, 2, 2}, 0.9);
        assertTrue(c.scale() > 0);
        assertFalse(c.isAnomalous(2));
    }

    @Test
    void givenBadInput_whenCalibrating_thenClearErrors() {
        assertThrows(IllegalArgumentException.class, () -> Calibration.fromNormalScores(new double[0], 0.9));
        assertThrows(IllegalArgumentException.class, () -> Calibration.fromNormalScores(new double[] {1, Double.NaN}, 0.9));
        assertThrows(IllegalArgumentException.class, () -> Calibration.fromNormalScores(new double[] {1}, 1.0));
        assertThrows(IllegalArgumentException.class, () -> Calibration.f1Optimal(new double[] {1, 2}, new boolean[1]));
    }

    @Test
    void givenCalibration_whenRoundTrippedThroughMap_thenEqual() {
        Calibration c = Calibration.fromNormalScores(new double[] {1, 3, 2, 8}, 0.75);
        assertEquals(c, Calibration.fromMap(c.toMap()));
    }
}
