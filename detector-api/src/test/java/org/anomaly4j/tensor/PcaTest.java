package org.anomaly4j.tensor;

import static org.anomaly4j.tensor.GaussianModelTest.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;

/**
 * {@link Pca} against scikit-learn 1.2.1 {@code PCA(svd_solver="full")}. Constants from:
 *
 * <pre>
 * import numpy as np
 * from sklearn.decomposition import PCA
 * def data(n, d, phase=0.0):
 *     i = np.arange(n)[:, None].astype(float); j = np.arange(d)[None, :].astype(float)
 *     return np.sin(0.9 * i * (j + 1) + 0.3 * j + phase) * (j + 1) * 0.5 + 0.1 * np.cos(1.7 * i + j * j)
 * def arr(name, a):
 *     a = np.asarray(a).ravel()
 *     print(f"    static final double[] {name} = {{" + ", ".join(repr(float(v)) for v in a) + "};")
 * X = data(30, 6); Q = data(2, 6, phase=1.0)
 * p = PCA(n_components=3, svd_solver="full").fit(X)
 * arr("MEAN", p.mean_); arr("COMPONENTS", p.components_); arr("VARIANCE", p.explained_variance_)
 * arr("RATIO", p.explained_variance_ratio_); arr("Z", p.transform(Q)); arr("BACK", p.inverse_transform(p.transform(Q)))
 * w = PCA(n_components=3, whiten=True, svd_solver="full").fit(X)
 * arr("Z_WHITE", w.transform(Q)); arr("BACK_WHITE", w.inverse_transform(w.transform(Q)))
 * f = PCA(n_components=0.9, svd_solver="full").fit(X)
 * print("    static final int K90 =", f.n_components_, ";")
 * Xw = data(5, 8)
 * g = PCA(n_components=3, svd_solver="full").fit(Xw)
 * arr("WIDE_COMPONENTS", g.components_); arr("WIDE_VARIANCE", g.explained_variance_); arr("WIDE_Z", g.transform(data(2, 8, phase=0.5)))
 * </pre>
 */
class PcaTest {
    static final double[] MEAN = {0.015732334893862294, 0.04022139717084842, 0.013705514957495439, -0.01254368134993585, 0.04751763286149894, 0.1416315633736613};
    static final double[] COMPONENTS = {0.0337660626516719, 0.04061424944009074, 0.017880387030688064, 0.009378742046555926, 0.10562595735692615, 0.9927969701027051, -0.00960015885770913, 0.07773735849703271, 0.050950404800141215, 0.24166376255540925, 0.9597746381463836, -0.10816684396363613, -0.015166237550087955, -0.07169827405560311, 0.2731899500587874, 0.9283047564081878, -0.24085306940054693, 0.015384151363337376};
    static final double[] VARIANCE = {4.833288890081672, 3.247799190496125, 2.2404524193144253};
    static final double[] RATIO = {0.4025261283644385, 0.2704833217270139, 0.18658943395294048};
    static final double[] Z = {2.03779564090367, 2.194689406685473, 1.568903167580052, 2.915863305204922, 0.23350556336001033, -1.8802847899617143};
    static final double[] BACK = {0.03967694509580305, 0.18110664555972994, 0.5905709813857764, 1.9933654507782406, 1.991293835971075, 1.9514925185542034, 0.14046471322508444, 0.3116122766448744, -0.4359354255065199, -1.67424403247163, 1.0324935665841628, 2.9823076723632123};
    static final double[] Z_WHITE = {0.9269135947167372, 1.2178070468817115, 1.0481616777324567, 1.3263122580493754, 0.1295694596600646, -1.2561912683884806};
    static final double[] BACK_WHITE = {0.03967694509580305, 0.18110664555972994, 0.5905709813857764, 1.9933654507782406, 1.9912938359710755, 1.9514925185542034, 0.14046471322508444, 0.3116122766448744, -0.4359354255065199, -1.67424403247163, 1.0324935665841628, 2.982307672363212};
    static final int K90 = 4;
    static final double[] WIDE_COMPONENTS = {-0.0003210054052686017, 0.07818467992846558, 0.07117801854771118, 0.07364999757910316, 0.05476852948188355, 0.6391912891709497, 0.012903432818825843, 0.7560851974216225, 0.04996945605136588, -0.03562952634265092, -0.2605744113597479, 0.3117289015497559, -0.8895740121202754, 0.1775955702866273, 0.02228291174845512, -0.08821009361998439, 0.0617431602463278, 0.09363182228996017, 0.088317249783447, -0.9214571265179708, -0.3066504064216167, 0.18085151350252707, 0.017130067893661872, -0.05918201142789236};
    static final double[] WIDE_VARIANCE = {15.52531994779058, 3.824153546822239, 3.2607854481086167};
    static final double[] WIDE_Z = {4.650594391131327, -1.3025560380952355, -1.6582172461213205, 1.3480309053174135, 0.6254954587891188, 2.623110729101769};

    private static void close(double[] want, double[] got, double tol) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tol, "entry " + i);
        }
    }

    private static void close(double[] want, float[] got, double tol) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tol, "entry " + i);
        }
    }

    @Test
    void givenSamples_whenThreeComponentsFitted_thenMeanComponentsSignsAndVarianceMatchSklearn() {
        Pca p = Pca.fit(data(30, 6, 0), 30, 6, 3, false);
        assertEquals(3, p.components());
        close(MEAN, p.mean(), 1e-6);
        close(COMPONENTS, p.componentMatrix(), 1e-5);
        close(VARIANCE, p.explainedVariance(), 1e-5);
        close(RATIO, p.explainedVarianceRatio(), 1e-6);
    }

    @Test
    void givenFittedPca_whenTransformedAndInverted_thenMatchesSklearn() {
        Pca p = Pca.fit(data(30, 6, 0), 30, 6, 3, false);
        float[] z = p.transform(data(2, 6, 1.0), 2);
        close(Z, z, 1e-5);
        close(BACK, p.inverseTransform(z, 2), 1e-5);
    }

    @Test
    void givenWhitening_whenTransformed_thenUnitVarianceScoresLikeSklearn() {
        Pca p = Pca.fit(data(30, 6, 0), 30, 6, 3, true);
        float[] z = p.transform(data(2, 6, 1.0), 2);
        close(Z_WHITE, z, 1e-5);
        close(BACK_WHITE, p.inverseTransform(z, 2), 1e-5);
    }

    @Test
    void givenVarianceFraction_whenFitted_thenKeepsSklearnsComponentCount() {
        assertEquals(K90, Pca.fitVariance(data(30, 6, 0), 30, 6, 0.9, false).components());
    }

    @Test
    void givenFewerSamplesThanDimensions_whenFitted_thenGramPathMatchesSklearn() {
        Pca p = Pca.fit(data(5, 8, 0), 5, 8, 3, false);
        close(WIDE_COMPONENTS, p.componentMatrix(), 1e-5);
        close(WIDE_VARIANCE, p.explainedVariance(), 1e-5);
        close(WIDE_Z, p.transform(data(2, 8, 0.5), 2), 1e-5);
    }

    @Test
    void givenRows_whenTransformedOnDjl_thenEqualsJavaPath() {
        Pca p = Pca.fit(data(30, 6, 0), 30, 6, 3, true);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            var rows = m.create(data(2, 6, 1.0), new Shape(2, 6));
            int before = Tensors.liveArrays(m);
            float[] z = p.transform(rows).toFloatArray();
            assertEquals(before + 1, Tensors.liveArrays(m));
            close(Z_WHITE, z, 1e-5);
        }
    }

    @Test
    void givenBadComponentCounts_whenFitted_thenRejected() {
        assertThrows(IllegalArgumentException.class, () -> Pca.fit(data(5, 8, 0), 5, 8, 6, false));
        assertThrows(IllegalArgumentException.class, () -> Pca.fitVariance(data(5, 8, 0), 5, 8, 1.0, false));
    }

    /** {@code n} rows of {@code d}: {@code rank} random patterns with decreasing weights, small noise, and
     * {@code zeros} constant columns (so the covariance is rank-deficient). */
    static float[] lowRank(int n, int d, int rank, int zeros, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] basis = new double[rank][d];
        for (double[] b : basis) {
            for (int j = zeros; j < d; j++) {
                b[j] = r.nextDouble() - 0.5;
            }
        }
        float[] out = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < rank; k++) {
                double a = (r.nextDouble() - 0.5) * (rank - k);
                for (int j = zeros; j < d; j++) {
                    out[i * d + j] += (float) (a * basis[k][j] * 0.05);
                }
            }
            for (int j = 0; j < d; j++) {
                out[i * d + j] += (float) (0.5 + (j < zeros ? 0 : 0.001 * (r.nextDouble() - 0.5)));
            }
        }
        return out;
    }

    @Test
    void givenManyDimensionsAndFewComponents_whenFitted_thenSubspaceIterationMatchesFullDecomposition() {
        // covariance path (n > d), Gram path (n < d) and a covariance of rank below the block size, all above
        // the full-eigen limit
        for (int[] c : new int[][] {{500, 324, 8, 0}, {300, 400, 8, 0}, {400, 300, 8, 240}}) {
            int n = c[0];
            int d = c[1];
            float[] x = lowRank(n, d, c[2], c[3], 11 + n);
            assertTrue(Math.min(n, d) > PcaSolver.FULL_EIGEN_MAX);
            Pca fast = Pca.fit(x, n, d, 6, false);
            assertTrue(PcaSolver.lastIterations > 0, "subspace iteration used");
            Pca full = Pca.fitFull(x, n, d, 6, false);
            assertEquals(0, PcaSolver.lastIterations);
            double top = full.explainedVariance()[0];
            close(full.explainedVariance(), fast.explainedVariance(), 1e-6 * top);
            assertEquals(full.totalVariance(), fast.totalVariance(), 1e-9 * full.totalVariance());
            float[] want = full.transform(x, n);
            float[] got = fast.transform(x, n);
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 1e-4 * Math.sqrt(top), "value " + i + " for n=" + n + ", d=" + d);
            }
        }
    }

    @Test
    void givenVarianceFractionOverManyDimensions_whenFitted_thenSameCountAsFullDecomposition() {
        float[] x = lowRank(400, 300, 12, 0, 5);
        Pca fast = Pca.fitVariance(x, 400, 300, 0.9, false);
        int k = fast.components();
        Pca full = Pca.fitFull(x, 400, 300, 300, false);
        double cum = 0;
        int below = 0;
        for (double r : full.explainedVarianceRatio()) {
            cum += r;
            if (cum <= 0.9) {
                below++;
            }
        }
        assertEquals(below + 1, k);
    }

    @Test
    void givenManyRows_whenTransformedInParallel_thenEachRowAsAlone() {
        float[] x = lowRank(600, 300, 10, 0, 3);
        Pca p = Pca.fit(x, 600, 300, 7, true);
        float[] all = p.transform(x, 600);
        for (int i : new int[] {0, 1, 299, 598, 599}) {
            float[] one = p.transform(java.util.Arrays.copyOfRange(x, i * 300, (i + 1) * 300), 1);
            for (int c = 0; c < 7; c++) {
                assertEquals(one[c], all[i * 7 + c], 0.0, "row " + i);
            }
        }
    }
}
