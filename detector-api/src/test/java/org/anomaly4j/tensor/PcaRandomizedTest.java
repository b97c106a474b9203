package org.anomaly4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Pca#fit} against scikit-learn 1.2.1's {@code PCA(k, random_state=0)}, which takes its randomized solver here. */
class PcaRandomizedTest {
    /** {@code float32(sin(0.013 i (j+1) + 0.7 j) (1 + j mod 5) + cos(0.11 i j) + 0.01 ((7i + 3j) mod 11))}: a flat spectrum. */
    private static float[] data(int n, int d) {
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (Math.sin(0.013 * i * (j + 1) + 0.7 * j) * (1 + (j % 5)) + Math.cos(0.11 * i * j)
                        + 0.01 * ((i * 7 + j * 3) % 11));
            }
        }
        return x;
    }

    private static void check(int n, int d, int k, double[] variance, double[] first, double[] last) {
        Pca p = Pca.fit(data(n, d), n, d, k, false);
        double[] v = p.explainedVariance();
        for (int q = 0; q < k; q++) {
            assertEquals(variance[q], v[q], 1e-8 * variance[q], "variance " + q);
        }
        double[] c = p.componentMatrix();
        for (int j = 0; j < 4; j++) {
            assertEquals(first[j], c[j], 1e-7, "component 0, entry " + j);
            assertEquals(last[j], c[(k - 1) * d + j], 1e-7, "component " + (k - 1) + ", entry " + j);
        }
    }

    @Test
    void fourPowerIterationsMatchScikitLearn() {
        assertTrue(PcaSolver.scikitLearnWouldRandomize(700, 60, 8));
        check(700, 60, 8,
                new double[] {14.525066512854284, 13.966348712692554, 13.887902400014902, 13.831832422517534,
                    13.66959558946441, 13.580837059341171, 13.376612768324676, 12.959279290868178},
                new double[] {0.0018155505962819114, -0.012308760820877356, -0.01022589340483602, -0.10231052102482376},
                new double[] {-0.0019660671494367895, 0.006165152565409115, 0.020024879560573233, 0.1335260089507021});
    }

    @Test
    void sevenPowerIterationsMatchScikitLearn() {
        check(800, 100, 5,
                new double[] {14.605633412759971, 14.424361766672583, 14.03770014413454, 13.99417138827884,
                    13.900982003836525},
                new double[] {-0.00010216177486066305, -0.00014755962757847694, -0.0017191938117640429,
                    -0.007671331201760115},
                new double[] {0.00042280431472811964, -0.0009162703699032561, -0.004485863488719431,
                    -0.051221876908427715});
    }

    @Test
    void fullFitStaysExact() {
        // scikit-learn's svd_solver="full" gives 14.5345 for the first variance of the first data set
        Pca full = Pca.fitFull(data(700, 60), 700, 60, 8, false);
        assertEquals(14.5345, full.explainedVariance()[0], 1e-4);
        assertFalse(PcaSolver.scikitLearnWouldRandomize(400, 60, 8));
        assertFalse(PcaSolver.scikitLearnWouldRandomize(700, 60, 50));
    }
}
