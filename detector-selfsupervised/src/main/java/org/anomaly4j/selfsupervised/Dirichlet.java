package org.anomaly4j.selfsupervised;

import org.apache.commons.math3.special.Gamma;

/**
 * Maximum-likelihood Dirichlet parameters by Minka's fixed-point iteration
 * {@code alpha <- psi^-1(psi(sum alpha) + mean log p)}, with the inverse digamma by Newton's method
 * from Minka's initialisation: the estimator of Golan and El-Yaniv's {@code fixed_point_dirichlet_mle}.
 */
final class Dirichlet {
    private Dirichlet() {
    }

    /**
     * @param init   starting point (Golan et al.: the mean of the observed probability vectors)
     * @param logHat the mean of the logs of the observed probability vectors
     */
    static double[] fixedPointMle(double[] init, double[] logHat) {
        int k = init.length;
        double[] old = new double[k];
        for (int j = 0; j < k; j++) {
            old[j] = Math.max(init[j], 1e-6);
        }
        double[] next = old.clone();
        for (int it = 0; it < 1000; it++) {
            double sum = 0;
            for (double v : old) {
                sum += v;
            }
            double psiSum = Gamma.digamma(sum);
            double diff = 0;
            for (int j = 0; j < k; j++) {
                next[j] = inversePsi(psiSum + logHat[j]);
                diff += (next[j] - old[j]) * (next[j] - old[j]);
            }
            double[] t = old;
            old = next;
            next = t;
            if (Math.sqrt(diff) < 1e-9) {
                break;
            }
        }
        return old;
    }

    /** The inverse of the digamma function (Minka's initialisation, five Newton steps). */
    static double inversePsi(double y) {
        double x = y >= -2.22 ? Math.exp(y) + 0.5 : -1 / (y - Gamma.digamma(1));
        for (int i = 0; i < 5; i++) {
            x = x - (Gamma.digamma(x) - y) / Gamma.trigamma(x);
        }
        return x;
    }
}
