package org.anomaly4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;

/**
 * {@link GaussianModel} against scikit-learn 1.2.1 / numpy 1.24. The constants below were printed by
 * (run with /usr/bin/python3):
 *
 * <pre>
 * import numpy as np
 * from sklearn.covariance import LedoitWolf, ShrunkCovariance
 * def data(n, d, phase=0.0):
 *     i = np.arange(n)[:, None].astype(float); j = np.arange(d)[None, :].astype(float)
 *     return np.sin(0.9 * i * (j + 1) + 0.3 * j + phase) * (j + 1) * 0.5 + 0.1 * np.cos(1.7 * i + j * j)
 * def arr(name, a):
 *     a = np.asarray(a).ravel()
 *     print(f"    static final double[] {name} = {{" + ", ".join(repr(float(v)) for v in a) + "};")
 * X = data(40, 5)
 * Q = data(3, 5, phase=1.0)
 * lw = LedoitWolf().fit(X)
 * arr("LW_MEAN", lw.location_); arr("LW_COV", lw.covariance_); print("    static final double LW_SHRINKAGE =", repr(lw.shrinkage_) + ";")
 * arr("LW_PREC", lw.precision_); arr("LW_MAHA", lw.mahalanobis(Q)); print("    static final double LW_LOGDET =", repr(np.linalg.slogdet(lw.covariance_)[1]) + ";")
 * X2 = data(6, 10)
 * lw2 = LedoitWolf().fit(X2)
 * print("    static final double LW_WIDE_SHRINKAGE =", repr(lw2.shrinkage_) + ";"); arr("LW_WIDE_COV", lw2.covariance_)
 * arr("LW_WIDE_MAHA", lw2.mahalanobis(data(2, 10, phase=0.5)))
 * sc = ShrunkCovariance(shrinkage=0.1).fit(X)
 * arr("SHRUNK_COV", sc.covariance_)
 * rc = np.cov(X, rowvar=False) + 0.01 * np.eye(5)
 * arr("RIDGE_COV", rc)
 * d = Q - X.mean(0); arr("RIDGE_MAHA", np.einsum('ij,jk,ik->i', d, np.linalg.inv(rc), d))
 * </pre>
 */
class GaussianModelTest {
    static final double[] LW_MEAN = {0.020506566752391098, 0.022005939691831965, -0.0018577091996514472, 0.011474994363893265, 0.06062903745802693};
    static final double[] LW_COV = {0.30583059974424626, 0.009163085509517744, 0.00424242963983062, -0.005879625147607596, -0.06085410218659188, 0.009163085509517744, 0.6679738416352456, -0.05223251555692768, -0.039185565454658434, 0.29717195685234354, 0.00424242963983062, -0.05223251555692768, 1.1148018968581554, 0.2867174218535898, 0.024070670830882837, -0.005879625147607596, -0.039185565454658434, 0.2867174218535898, 1.9482131284176687, 0.06343393511939611, -0.06085410218659188, 0.29717195685234354, 0.024070670830882837, 0.06343393511939611, 2.9162878783119717};
    static final double LW_SHRINKAGE = 0.1415654062113289;
    static final double[] LW_PREC = {3.2879148760559667, -0.08032008550404235, -0.020191115990028492, 0.00877916832433466, 0.07676920478595348, -0.08032008550404236, 1.5780671693500867, 0.07099287684098025, 0.02637841027896779, -0.1636420229759011, -0.0201911159900285, 0.07099287684098025, 0.9356511397218891, -0.13592781223512893, -0.012421653984530276, 0.00877916832433466, 0.02637841027896779, -0.1359278122351289, 0.5342757606758232, -0.01300420853183617, 0.07676920478595348, -0.1636420229759011, -0.01242165398453028, -0.013004208531836172, 0.36156425253144325};
    static final double[] LW_MAHA = {6.1724186003004515, 3.3658351611400135, 3.9791975282764884};
    static final double LW_LOGDET = 0.16132703392525105;
    static final double LW_WIDE_SHRINKAGE = 0.6368968339483623;
    static final double[] LW_WIDE_COV = {2.8807279538396027, -0.016568854029357042, -0.04166385146888541, -0.02491400603035973, 0.04939935969463138, 0.05043367391147568, -0.0007632449686348141, -0.11985592408090737, 0.12496781726184128, 0.01918207070188993, -0.016568854029357042, 2.973523693693922, -0.0889370942695779, -0.07646148288254472, 0.045451807811686895, 0.1297341416171733, 0.009270008942836564, 0.2610419225955196, -0.2452051001562782, 0.046262706507464675, -0.04166385146888541, -0.0889370942695779, 3.1914500172893465, -0.09900196025475508, -0.026628904410568418, 0.18086948102353043, -0.0036886223688448612, 0.36568370728473065, 0.1941482496381462, -0.8632918945501005, -0.02491400603035973, -0.07646148288254472, -0.09900196025475508, 3.625496173086642, -0.016133097776439682, 0.11071395930222949, -0.0035220689819205663, 0.2125928701599112, 0.1458542998169363, 1.850868778946588, 0.04939935969463138, 0.045451807811686895, -0.026628904410568418, -0.016133097776439682, 4.057411475826344, 0.004330098610393008, -0.02470278881504409, -0.12155596613765328, 1.957961364791754, 0.1099312846415424, 0.05043367391147568, 0.1297341416171733, 0.18086948102353043, 0.11071395930222949, 0.004330098610393008, 4.489131572585991, 0.032731645403306045, 1.693755170800712, -0.2517501908300834, 0.020933353458831787, -0.0007632449686348141, 0.009270008942836564, -0.0036886223688448612, -0.0035220689819205663, -0.02470278881504409, 0.032731645403306045, 2.842643911872426, 0.04167604351889697, -0.06376394712825777, 0.0016365959121366835, -0.11985592408090737, 0.2610419225955196, 0.36568370728473065, 0.2125928701599112, -0.12155596613765328, 1.693755170800712, 0.04167604351889697, 5.3694974229912, -0.7801302748137302, -0.04710873465369622, 0.12496781726184128, -0.2452051001562782, 0.1941482496381462, 0.1458542998169363, 1.957961364791754, -0.2517501908300834, -0.06376394712825777, -0.7801302748137302, 6.770246356649903, 0.007788996833171338, 0.01918207070188993, 0.046262706507464675, -0.8632918945501005, 1.850868778946588, 0.1099312846415424, 0.020933353458831787, 0.0016365959121366835, -0.04710873465369622, 0.007788996833171338, 8.40670457301577};
    static final double[] LW_WIDE_MAHA = {5.6590773181940115, 7.708541385288899};
    static final double[] SHRUNK_COV = {0.2533050218365785, 0.009606762143833356, 0.004447848098707351, -0.0061643166190359, -0.06380065803990144, 0.009606762143833356, 0.6329832408415041, -0.054761614153690116, -0.04108293067913641, 0.31156102410401115, 0.004447848098707351, -0.054761614153690116, 1.1014467121535871, 0.30060028048188886, 0.025236172801684283, -0.0061643166190359, -0.04108293067913641, 0.30060028048188886, 1.9752117186325948, 0.06650540649286907, -0.06380065803990144, 0.31156102410401115, 0.025236172801684283, 0.06650540649286907, 2.990160651503024};
    static final double[] RIDGE_COV = {0.14019131046978084, 0.010947877086989579, 0.0050687727620596585, -0.007024862243915555, -0.07270730260957428, 0.010947877086989579, 0.5728730415295251, -0.06240639789594314, -0.046818154620098466, 0.3550552981242292, 0.0050687727620596585, -0.06240639789594314, 1.1067345472982808, 0.3425644222015827, 0.028759171283970687, -0.007024862243915555, -0.046818154620098466, 0.3425644222015827, 2.1024781444253544, 0.0757896370289106, -0.07270730260957428, 0.3550552981242292, 0.028759171283970687, 0.0757896370289106, 3.2591151049614564};
    static final double[] RIDGE_MAHA = {7.135619877723077, 4.179037604719099, 3.8372573475195004};

    /** The generator of the Python snippet: {@code sin(0.9 i (j+1) + 0.3 j + phase) (j+1)/2 + cos(1.7 i + j^2)/10}. */
    static float[] data(int n, int d, double phase) {
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (Math.sin(0.9 * i * (j + 1) + 0.3 * j + phase) * (j + 1) * 0.5
                        + 0.1 * Math.cos(1.7 * i + j * j));
            }
        }
        return x;
    }

    @Test
    void givenSamples_whenLedoitWolfFitted_thenMatchesSklearn() {
        GaussianModel g = GaussianModel.fit(data(40, 5, 0), 40, 5, CovarianceEstimator.ledoitWolf());
        assertEquals(LW_SHRINKAGE, g.shrinkage(), 1e-6);
        assertArrayEquals(LW_MEAN, g.mean(), 1e-6);
        assertArrayEquals(LW_COV, g.covariance(), 1e-6);
        assertArrayEquals(LW_PREC, g.precision(), 1e-5);
        assertEquals(LW_LOGDET, g.logDeterminant(), 1e-5);
        assertArrayEquals(LW_MAHA, g.squaredMahalanobis(data(3, 5, 1.0), 3), 1e-5);
        assertEquals(0.0, g.jitter());
    }

    @Test
    void givenFewerSamplesThanDimensions_whenLedoitWolfFitted_thenShrinksLikeSklearn() {
        GaussianModel g = GaussianModel.fit(data(6, 10, 0), 6, 10, CovarianceEstimator.ledoitWolf());
        assertEquals(LW_WIDE_SHRINKAGE, g.shrinkage(), 1e-6);
        assertArrayEquals(LW_WIDE_COV, g.covariance(), 1e-5);
        assertArrayEquals(LW_WIDE_MAHA, g.squaredMahalanobis(data(2, 10, 0.5), 2), 1e-4);
    }

    @Test
    void givenFixedShrinkageOrRidge_whenFitted_thenMatchesSklearnAndNumpy() {
        float[] x = data(40, 5, 0);
        assertArrayEquals(SHRUNK_COV, GaussianModel.fit(x, 40, 5, CovarianceEstimator.shrunk(0.1)).covariance(), 1e-6);
        GaussianModel r = GaussianModel.fit(x, 40, 5, CovarianceEstimator.ridge(0.01));
        assertArrayEquals(RIDGE_COV, r.covariance(), 1e-6);
        assertArrayEquals(RIDGE_MAHA, r.squaredMahalanobis(data(3, 5, 1.0), 3), 1e-4);
    }

    @Test
    void givenQueries_whenScoredOnDjl_thenEqualsTheJavaPathAndLeavesNoArrays() {
        GaussianModel g = GaussianModel.fit(data(40, 5, 0), 40, 5, CovarianceEstimator.ledoitWolf());
        float[] q = data(3, 5, 1.0);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray rows = m.create(q, new Shape(3, 5));
            int before = Tensors.liveArrays(m);
            NDArray d2 = g.squaredMahalanobis(rows);
            assertEquals(before + 1, Tensors.liveArrays(m));
            float[] got = d2.toFloatArray();
            for (int i = 0; i < 3; i++) {
                assertEquals(LW_MAHA[i], got[i], 1e-4 * LW_MAHA[i]);
            }
        }
    }

    @Test
    void givenRestoredMeanAndCovariance_whenScored_thenSameDistancesAndLogLikelihood() {
        GaussianModel g = GaussianModel.fit(data(40, 5, 0), 40, 5, CovarianceEstimator.ledoitWolf());
        GaussianModel back = GaussianModel.of(g.mean(), g.covariance());
        float[] q = data(1, 5, 1.0);
        assertEquals(g.squaredMahalanobis(q), back.squaredMahalanobis(q), 1e-12);
        double expected = -0.5 * (5 * Math.log(2 * Math.PI) + LW_LOGDET + LW_MAHA[0]);
        assertEquals(expected, back.logLikelihood(q), 1e-5);
    }

    @Test
    void givenSingularCovariance_whenRidgeZero_thenJitterIsAddedOrTheFitFailsClearly() {
        // 3 samples in 5 dimensions: rank 2, factors only with jitter
        GaussianModel g = GaussianModel.fit(data(3, 5, 0), 3, 5, CovarianceEstimator.ridge(0));
        assertTrue(g.jitter() > 0);
        assertTrue(Double.isFinite(g.squaredMahalanobis(data(1, 5, 1.0))));
        float[] constant = new float[4 * 3];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GaussianModel.fit(constant, 4, 3, CovarianceEstimator.ridge(0)));
        assertTrue(e.getMessage().contains("ledoitWolf"), e.getMessage());
    }

    @Test
    void givenOutOfRangeSettings_whenEstimatorMade_thenTheParameterIsNamed() {
        assertEquals("shrinkage", assertThrows(org.anomaly4j.api.InvalidConfigException.class,
                () -> CovarianceEstimator.shrunk(1.5)).parameter());
        assertEquals("ridge", assertThrows(org.anomaly4j.api.InvalidConfigException.class,
                () -> CovarianceEstimator.ridge(-1)).parameter());
        assertEquals("ridge(0.01)", CovarianceEstimator.ridge(0.01).toString());
    }
}
