package org.anomaly4j.mixture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class EngineEmTest {

    /** The M-step scatter from moments equals the direct centred sum, also for data far from the origin. */
    @Test
    void givenOffsetData_whenFullScatter_thenEqualsTheDirectCentredSum() {
        int n = 500;
        int d = 7;
        int k = 3;
        for (double offset : new double[] {0, 1e4}) {
            SplittableRandom rnd = new SplittableRandom(5);
            double[] x = new double[n * d];
            for (int i = 0; i < x.length; i++) {
                x[i] = offset + rnd.nextGaussian() * (1 + i % d);
            }
            double[] resp = new double[n * k];
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int c = 0; c < k; c++) {
                    resp[i * k + c] = rnd.nextDouble();
                    s += resp[i * k + c];
                }
                for (int c = 0; c < k; c++) {
                    resp[i * k + c] /= s;
                }
            }
            double[] rsum = new double[k];
            double[] sums = new double[k * d];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < k; c++) {
                    rsum[c] += resp[i * k + c];
                    for (int j = 0; j < d; j++) {
                        sums[c * d + j] += resp[i * k + c] * x[i * d + j];
                    }
                }
            }
            double[] mu = new double[k * d];
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < d; j++) {
                    // a mean slightly off the weighted mean, as EM's +10 eps makes it: the formula must hold for any mu
                    mu[c * d + j] = sums[c * d + j] / (rsum[c] + 1e-3);
                }
            }
            double[] got;
            try (EngineEm em = new EngineEm(x, n, d, k)) {
                got = em.fullScatter(mu, sums, rsum, resp);
            }
            for (int c = 0; c < k; c++) {
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        double want = 0;
                        for (int i = 0; i < n; i++) {
                            want += resp[i * k + c] * (x[i * d + a] - mu[c * d + a]) * (x[i * d + b] - mu[c * d + b]);
                        }
                        double g = got[(c * d + a) * d + b];
                        assertEquals(want, g, 1e-9 * Math.max(1, Math.abs(want)),
                                "offset " + offset + ", component " + c + ", entry " + a + "," + b);
                    }
                }
            }
        }
    }
}
