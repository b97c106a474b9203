package org.anomaly4j.oneclass;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/**
 * The solver against scikit-learn 1.2.1's {@code OneClassSVM} (libsvm) on 40 training rows of 5
 * values and 8 test rows ({@link SplitMixData}). The constants come from:
 *
 * <pre>
 * import numpy as np
 * from sklearn.svm import OneClassSVM
 * X = data(40, 5, 0); T = data(8, 5, 1000)          # data() as in SplitMixData
 * for kw in [dict(), dict(nu=0.1, gamma=0.3), dict(kernel='linear', nu=0.3),
 *            dict(kernel='poly', degree=3, gamma='auto', coef0=1.0, nu=0.2),
 *            dict(kernel='sigmoid', gamma=0.5, coef0=-1.0, nu=0.25)]:
 *     m = OneClassSVM(**kw).fit(X)
 *     print(kw, m.offset_[0], m.support_.tolist(), m.decision_function(T).tolist(), m.dual_coef_[0].tolist())
 * print(1.0 / (5 * X.var()))                          # gamma 'scale'
 * </pre>
 *
 * ({@code offset_} is libsvm's rho.)
 */
class OneClassSolutionTest {
    private static final int N = 40;
    private static final int D = 5;
    private static final float[] X = SplitMixData.rows(N, D, 0);
    private static final float[] T = SplitMixData.rows(8, D, 1000);
    private static final OneClassSolution.Settings LIBSVM = new OneClassSolution.Settings(1e-3, true, 200, -1);

    private static double[] decision(KernelFunction k, OneClassSolution s) {
        int[] idx = s.supportIndices();
        float[] sv = new float[idx.length * D];
        double[] coef = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(X, idx[i] * D, sv, i * D, D);
            coef[i] = s.alpha()[idx[i]];
        }
        try (SupportVectors v = new SupportVectors(k, sv, idx.length, D, coef)) {
            double[] f = v.expansion(T, 8);
            for (int i = 0; i < f.length; i++) {
                f[i] -= s.rho();
            }
            return f;
        }
    }

    private static void check(KernelFunction k, double nu, double rho, int[] support, double[] dual, double[] dec) {
        OneClassSolution s = OneClassSolution.oneClassSvm(X, N, D, k, nu, LIBSVM);
        assertFalse(s.timedOut());
        assertEquals(rho, s.rho(), 1e-6, "rho");
        assertArrayEquals(support, s.supportIndices(), "support vectors");
        for (int i = 0; i < support.length; i++) {
            assertEquals(dual[i], s.alpha()[support[i]], 1e-5, "dual coefficient " + i);
        }
        assertArrayEquals(dec, decision(k, s), 1e-6, "decision_function");
    }

    @Test
    void givenSklearnDefaults_whenSolved_thenGammaScaleRhoDualAndDecisionMatchLibsvm() {
        double gamma = OneClassSolution.scaleGamma(X, N, D);
        assertEquals(2.2962736077680583, gamma, 1e-12);
        check(new KernelFunction(Kernel.RBF, gamma, 3, 0), 0.5, 3.712041027670215,
                new int[] {0, 1, 4, 6, 8, 10, 11, 12, 14, 15, 19, 21, 22, 23, 26, 29, 31, 32, 34, 35, 36, 37, 38, 39},
                new double[] {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.6773622412779914, 1.0, 1.0, 1.0, 1.0,
                    0.7631295718106759, 0.14068717734751665, 0.6923794108000404, 1.0, 0.3481621679283276,
                    0.736438059054, 1.0, 1.0, 1.0, 0.057551321644889936, 1.0, 0.5842900501365582},
                new double[] {-0.18265346168954677, -0.4249825844586641, 0.3116225525604581, -0.27642843759877556,
                    -1.2498547042242003, -0.43715277513595785, 0.4318150691742173, 0.10918523169763095});
    }

    @Test
    void givenRbfNu01Gamma03_whenSolved_thenMatchesLibsvm() {
        check(new KernelFunction(Kernel.RBF, 0.3, 3, 0), 0.1, 2.6767996508819736,
                new int[] {0, 6, 10, 15, 19, 34, 35},
                new double[] {0.4156830542221236, 0.9886805307779911, 0.5882147715490174, 0.4167082917041072, 1.0,
                    0.36317832891234647, 0.22753502283441618},
                new double[] {0.1519644216286271, 0.17620841149017652, 0.21703261719864564, 0.117844452307581,
                    0.04108853783045552, 0.06151943674906635, 0.2398685334187567, 0.29460776414434875});
    }

    @Test
    void givenLinearKernel_whenSolved_thenDecisionMatchesLibsvm() {
        // libsvm keeps a 7e-15 coefficient on row 22: compare the decision values and rho only
        OneClassSolution s = OneClassSolution.oneClassSvm(X, N, D, new KernelFunction(Kernel.LINEAR, 0, 3, 0), 0.3,
                LIBSVM);
        assertEquals(9.307189001499351, s.rho(), 1e-6);
        assertArrayEquals(new double[] {0.24298008698207063, 1.357501818414816, 2.702975101478293,
            -0.03136046991718544, 2.008910342825546, 1.19972915065917, 0.7685978470706392, 2.5607193466247207},
                decision(new KernelFunction(Kernel.LINEAR, 0, 3, 0), s), 1e-6);
    }

    @Test
    void givenPolyKernelGammaAuto_whenSolved_thenMatchesLibsvm() {
        check(new KernelFunction(Kernel.POLY, 1.0 / D, 3, 1.0), 0.2, 11.675373806362025,
                new int[] {1, 8, 10, 13, 16, 28, 29, 30, 36, 38},
                new double[] {1.0, 1.0, 0.01618491822733082, 1.0, 1.0, 0.2157484983801938, 0.7680665833924789, 1.0,
                    1.0, 1.0},
                new double[] {0.42368811623114766, 0.9927740705700625, 1.6619763476863714, 0.22137008444179784,
                    1.538081054252972, 1.153278686620009, 0.8634430290688027, 1.5873366730992995});
    }

    @Test
    void givenSigmoidKernel_whenSolved_thenMatchesLibsvm() {
        check(new KernelFunction(Kernel.SIGMOID, 0.5, 3, -1.0), 0.25, -5.583061222136716,
                new int[] {1, 7, 8, 10, 13, 16, 22, 28, 29, 30, 36, 38},
                new double[] {1.0, 0.30727329300034656, 1.0, 0.6554572154041953, 1.0, 1.0, 1.0, 0.03726949159545833,
                    1.0, 1.0, 1.0, 1.0},
                new double[] {0.13026808193078843, 0.4704603146020947, 0.8778256860694018, 0.03587666613243545,
                    0.7505966018093675, 0.4812776806745953, 0.34909502936745795, 0.8529289960851223});
    }

    @Test
    void givenTinyCache_whenSolved_thenSameSolutionAsWithFullCache() {
        KernelFunction k = new KernelFunction(Kernel.RBF, 0.3, 3, 0);
        OneClassSolution full = OneClassSolution.oneClassSvm(X, N, D, k, 0.1, LIBSVM);
        OneClassSolution tiny = OneClassSolution.oneClassSvm(X, N, D, k, 0.1,
                new OneClassSolution.Settings(1e-3, true, 1e-6, -1));
        assertArrayEquals(full.alpha(), tiny.alpha(), 0);
        assertEquals(full.rho(), tiny.rho(), 0);
        OneClassSolution noShrink = OneClassSolution.oneClassSvm(X, N, D, k, 0.1,
                new OneClassSolution.Settings(1e-3, false, 200, -1));
        assertArrayEquals(full.alpha(), noShrink.alpha(), 1e-3);
    }
}
