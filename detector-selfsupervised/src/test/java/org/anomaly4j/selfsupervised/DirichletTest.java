package org.anomaly4j.selfsupervised;

import static org.junit.jupiter.api.Assertions.assertEquals;


import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.MersenneTwister;
import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

class DirichletTest {
    @Test
    void givenDigammaValues_whenInverted_thenArgumentsComeBack() {
        for (double x : new double[] {0.05, 0.3, 1, 2.5, 40}) {
            assertEquals(x, Dirichlet.inversePsi(Gamma.digamma(x)), 1e-8 * Math.max(1, x));
        }
    }

    @Test
    void givenSamplesOfAKnownDirichlet_whenFitted_thenParametersAreRecovered() {
        double[] alpha = {2.0, 5.0, 0.7};
        int n = 20000;
        double[] logHat = new double[3];
        double[] mean = new double[3];
        MersenneTwister rng = new MersenneTwister(3);
        GammaDistribution[] g = new GammaDistribution[3];
        for (int j = 0; j < 3; j++) {
            g[j] = new GammaDistribution(rng, alpha[j], 1);
        }
        for (int i = 0; i < n; i++) {
            double[] y = new double[3];
            double s = 0;
            for (int j = 0; j < 3; j++) {
                y[j] = g[j].sample();
                s += y[j];
            }
            for (int j = 0; j < 3; j++) {
                logHat[j] += Math.log(y[j] / s) / n;
                mean[j] += y[j] / s / n;
            }
        }
        double[] fit = Dirichlet.fixedPointMle(mean, logHat);
        for (int j = 0; j < 3; j++) {
            assertEquals(alpha[j], fit[j], 0.05 * alpha[j], "alpha " + j);
        }
    }
}
