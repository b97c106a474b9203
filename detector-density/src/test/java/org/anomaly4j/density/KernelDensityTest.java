package org.anomaly4j.density;

import static org.anomaly4j.density.SklearnFixture.D;
import static org.anomaly4j.density.SklearnFixture.M;
import static org.anomaly4j.density.SklearnFixture.N;
import static org.anomaly4j.density.SklearnFixture.Q;
import static org.anomaly4j.density.SklearnFixture.X;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The kernel density against scikit-learn 1.2.1's {@code KernelDensity} and scipy 1.10.1's {@code gaussian_kde}. */
class KernelDensityTest {
    private static void assertLogDensities(double[] expected, KernelDensity k) {
        double[] got = k.logDensities(Q, M);
        for (int i = 0; i < M; i++) {
            assertEquals(expected[i], got[i], 1e-5 * Math.max(1, Math.abs(expected[i])), "query " + i);
            assertEquals(got[i], k.logDensity(SklearnFixture.row(Q, i)), 0.0, "single row equals batch");
        }
    }

    @Test
    void givenFixedBandwidths_whenScoring_thenEqualsScikitLearnScoreSamples() {
        // KernelDensity(bandwidth=bw).fit(X).score_samples(Q)
        assertLogDensities(new double[] {2.7274380451077738, 0.6376227696459225, -8.232219939497877,
            2.1759720594153205}, KernelDensity.fit(X, N, D, KernelDensity.Bandwidth.parse("0.1"), 0));
        assertLogDensities(new double[] {0.28986347740380625, 0.1425978077946608, -1.8779856887024167,
            0.18842901308856996}, KernelDensity.fit(X, N, D, KernelDensity.Bandwidth.parse("0.25"), 0));
    }

    @Test
    void givenIsotropicRule_whenFitted_thenBandwidthAndDensitiesAsTheReference() {
        // h = n ** (-1 / (d + 4)) * np.sqrt(X.var(0).mean()) -> 0.15402196339806273
        // KernelDensity(bandwidth=h).fit(X).score_samples(Q)
        KernelDensity k = KernelDensity.fit(X, N, D, KernelDensity.Bandwidth.parse("isotropic"), 0);
        assertEquals(0.15402196339806273, k.bandwidth(), 1e-7);
        assertLogDensities(new double[] {1.6098763798865958, 0.5762408442688312, -3.6966356969131033,
            1.3348233874544428}, k);
    }

    @Test
    void givenScottAndSilverman_whenFitted_thenEqualScipyGaussianKde() {
        // gaussian_kde(X.T, bw_method="scott").logpdf(Q.T)
        assertLogDensities(new double[] {2.3396663157579836, 0.6840010321590073, -21.500589266684482,
            1.5782220934546873}, KernelDensity.fit(X, N, D, KernelDensity.Bandwidth.parse("scott"), 0));
        // gaussian_kde(X.T, bw_method="silverman").logpdf(Q.T)
        assertLogDensities(new double[] {2.4079321808516627, 0.6334886986195861, -22.858064515733084,
            1.6311806471113535}, KernelDensity.fit(X, N, D, KernelDensity.Bandwidth.parse("silverman"), 0));
    }

    @Test
    void givenCrossValidation_whenFitted_thenBandwidthIsOnTheGridAndSeeded() {
        KernelDensity a = KernelDensity.fit(X, N, D, KernelDensity.Bandwidth.parse("cv"), 3);
        KernelDensity b = KernelDensity.fit(X, N, D, KernelDensity.Bandwidth.parse("cv"), 3);
        assertEquals(a.bandwidth(), b.bandwidth(), 0.0);
        assertTrue(a.bandwidth() > 0.01 && a.bandwidth() < 1, "bandwidth " + a.bandwidth());
    }

    @Test
    void givenStandardNormalSample_whenCrossValidated_thenBandwidthNearTheOptimum() {
        // for n = 2000 points of N(0, 1) in 1-d the MISE-optimal width is 1.06 n^-0.2 = 0.23; the grid
        // around Scott's 0.22 must land within a factor 2 of it
        SplittableRandom r = new SplittableRandom(1);
        float[] x = new float[2000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) gaussian(r);
        }
        KernelDensity k = KernelDensity.fit(x, x.length, 1, KernelDensity.Bandwidth.parse("cv"), 0);
        assertTrue(k.bandwidth() > 0.115 && k.bandwidth() < 0.46, "bandwidth " + k.bandwidth());
    }

    private static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    @Test
    void givenFarQuery_whenScoring_thenLogDensityStaysFinite() {
        KernelDensity k = KernelDensity.fit(X, N, D, KernelDensity.Bandwidth.parse("0.01"), 0);
        double ld = k.logDensity(new float[] {50f, -50f, 50f});
        assertTrue(Double.isFinite(ld) && ld < -1e6, "log density " + ld);
    }

    @Test
    void givenStoredParts_whenRestored_thenScoresBitForBit() {
        for (String bw : new String[] {"scott", "isotropic", "0.2"}) {
            KernelDensity k = KernelDensity.fit(X, N, D, KernelDensity.Bandwidth.parse(bw), 0);
            KernelDensity r = KernelDensity.of(k.kernelRows(), N, D, (float) k.bandwidth(), k.whiteningMean(),
                    k.whitener());
            assertArrayEquals(k.logDensities(Q, M), r.logDensities(Q, M), 0.0, bw);
        }
    }

    @Test
    void givenManyTrainingRows_whenScoring_thenBlocksAgreeWithADirectSum() {
        SplittableRandom r = new SplittableRandom(9);
        int n = 700; // three blocks, the last one partial
        int d = 5;
        float[] t = new float[n * d];
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) r.nextDouble();
        }
        float[] q = Arrays.copyOf(t, d);
        q[0] += 0.05f;
        double h = 0.3;
        KernelDensity k = KernelDensity.fit(t, n, d, KernelDensity.Bandwidth.parse(Double.toString(h)), 0);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                double z = q[j] - t[i * d + j];
                s += z * z;
            }
            sum += Math.exp(-s / (2 * h * h));
        }
        double expected = Math.log(sum / n) - d * Math.log(h) - 0.5 * d * Math.log(2 * Math.PI);
        assertEquals(expected, k.logDensity(q), 1e-5);
    }

    @Test
    void givenBadBandwidths_whenParsed_thenRejected() {
        for (String s : new String[] {"0", "-1", "NaN", "Infinity", "wide", ""}) {
            assertThrows(IllegalArgumentException.class, () -> KernelDensity.Bandwidth.parse(s), s);
        }
        assertEquals("scott", KernelDensity.Bandwidth.parse(" Scott ").toString());
        assertEquals("0.5", KernelDensity.Bandwidth.parse("0.50").toString());
    }
}
