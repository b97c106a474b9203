package org.anomaly4j.density;

import org.anomaly4j.mixture.GaussianMixture;
import org.anomaly4j.mixture.KMeans;

import static org.anomaly4j.density.SklearnFixture.D;
import static org.anomaly4j.density.SklearnFixture.LABELS;
import static org.anomaly4j.density.SklearnFixture.M;
import static org.anomaly4j.density.SklearnFixture.N;
import static org.anomaly4j.density.SklearnFixture.Q;
import static org.anomaly4j.density.SklearnFixture.X;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.mixture.GaussianMixture.CovarianceType;

/**
 * EM against scikit-learn 1.2.1's {@code GaussianMixture} on {@link SklearnFixture}. From the same
 * initial labels the two must take the same steps: the expected values come from
 *
 * <pre>
 * resp = np.zeros((len(X), 3)); resp[np.arange(len(X)), labels] = 1
 * gm = GaussianMixture(3, covariance_type=t, random_state=0)
 * with mock.patch.object(GaussianMixture, "_initialize_parameters",
 *                        lambda self, X_, rs: self._initialize(X_, resp)):
 *     gm.fit(X)
 * print(t, "n_iter", gm.n_iter_, "lower", gm.lower_bound_); print(gm.weights_, gm.means_)
 * print(gm.score_samples(Q), gm.bic(X))
 * </pre>
 */
class GaussianMixtureTest {
    private static GaussianMixture.Settings settings(CovarianceType t, int k) {
        return new GaussianMixture.Settings(k, t, 1e-3, 1e-6, 100, 1, true, 0);
    }

    private static void check(CovarianceType t, int nIter, double lower, double[] weights, double[] means,
            double[] scoreSamples, double bic) {
        GaussianMixture g = GaussianMixture.fitFromLabels(X, N, D, settings(t, 3), LABELS);
        assertEquals(nIter, g.iterations(), t + " n_iter");
        assertTrue(g.converged(), t + " converged");
        assertEquals(lower, g.lowerBound(), 1e-9, t + " lower bound");
        float[] w = g.weights();
        float[] mu = g.means();
        for (int i = 0; i < weights.length; i++) {
            assertEquals(weights[i], w[i], 1e-6, t + " weight " + i);
        }
        for (int i = 0; i < means.length; i++) {
            assertEquals(means[i], mu[i], 1e-6, t + " mean " + i);
        }
        double[] ll = g.logLikelihoods(Q, M);
        for (int i = 0; i < M; i++) {
            assertEquals(scoreSamples[i], ll[i], 1e-4 * Math.max(1, Math.abs(scoreSamples[i])), t + " score_samples " + i);
            assertEquals(ll[i], g.logLikelihood(SklearnFixture.row(Q, i)), 0.0, "single row equals batch");
        }
        assertEquals(bic, g.bic(X, N), 1e-3, t + " bic");
    }

    @Test
    void givenFullCovarianceAndSameStart_whenFitted_thenMatchesScikitLearnStepForStep() {
        // full n_iter 21 converged True lower 2.249642109005498 ... bic -58.06044565201873
        check(CovarianceType.FULL, 21, 2.249642109005498,
                new double[] {0.4615299716480149, 0.31639539982104, 0.22207462853094512},
                new double[] {0.46883317468020097, 0.44383230124794754, 0.2588303755712565, 0.4890732873557958,
                    0.7281548517317786, 0.7526640279133306, 0.24466833250411552, 0.5144775545307346,
                    0.49807604798386484},
                new double[] {3.008606788093181, -5.3252397427960085, -23.18582941158478, 2.8056234434853526},
                -58.06044565201873);
    }

    @Test
    void givenTiedCovarianceAndSameStart_whenFitted_thenMatchesScikitLearn() {
        // tied n_iter 2 converged True lower 1.0442331457175735 ... bic -14.267962413585266
        check(CovarianceType.TIED, 2, 1.0442331457175735,
                new double[] {0.332989761404044, 0.3332012594492752, 0.3338089791466809},
                new double[] {0.41901955773603006, 0.563653921337018, 0.4784809728040919, 0.4571644869039132,
                    0.5538382388481052, 0.45187737480075324, 0.4002250752576283, 0.5309880627655504,
                    0.47425953104023727},
                new double[] {1.5549920893865732, 1.828817230625515, -15.450120367489307, 1.5896067288098448},
                -14.267962413585266);
    }

    @Test
    void givenDiagCovarianceAndSameStart_whenFitted_thenMatchesScikitLearn() {
        // diag n_iter 8 converged True lower 2.8734390980787574 ... bic -135.21723629255257
        check(CovarianceType.DIAG, 8, 2.8734390980787574,
                new double[] {0.3333333333582598, 0.3333333333084068, 0.3333333333333333},
                new double[] {0.36393229170856467, 0.7701822916481138, 0.8889973957512664, 0.7060546874836856,
                    0.575846354170687, 0.41048177087961707, 0.20638020833333331, 0.30240885416666663,
                    0.10514322916666666},
                new double[] {5.1824578606540745, -1.6215440828494145, -29.864525522000143, 3.4478008515769054},
                -135.21723629255257);
    }

    @Test
    void givenSphericalCovarianceAndSameStart_whenFitted_thenMatchesScikitLearn() {
        // spherical n_iter 9 converged True lower 2.853735448612332 ... bic -155.2996871617034
        check(CovarianceType.SPHERICAL, 9, 2.853735448612332,
                new double[] {0.3333333330002936, 0.3333333336663731, 0.33333333333333337},
                new double[] {0.3639322916951657, 0.770182291830812, 0.8889973958949159, 0.70605468712968,
                    0.5758463541966861, 0.4104817712498449, 0.20638020833333331, 0.30240885416666663,
                    0.10514322916666666},
                new double[] {5.151129879128748, -2.1140790748608493, -30.615184279869972, 3.448220973304637},
                -155.2996871617034);
    }

    @Test
    void givenKMeansInitialisation_whenFittingSeparatedBlobs_thenReachesScikitLearnsOptimum() {
        // GaussianMixture(3, covariance_type="full", random_state=0).fit(X).score_samples(Q)
        // -> 5.4816933062953925, -7.606823899233423, -24.2945433724884, 3.4568096296561865 (its own k-means start)
        double[] expected = {5.4816933062953925, -7.606823899233423, -24.2945433724884, 3.4568096296561865};
        for (long seed = 0; seed < 3; seed++) {
            GaussianMixture g = GaussianMixture.fit(X, N, D,
                    new GaussianMixture.Settings(3, CovarianceType.FULL, 1e-3, 1e-6, 100, 1, true, seed),
                    ProgressListener.NONE);
            double[] ll = g.logLikelihoods(Q, M);
            for (int i = 0; i < M; i++) {
                assertEquals(expected[i], ll[i], 1e-3 * Math.abs(expected[i]), "seed " + seed + " query " + i);
            }
        }
    }

    @Test
    void givenSameSeed_whenFittedTwice_thenIdenticalParameters() {
        GaussianMixture.Settings s = new GaussianMixture.Settings(3, CovarianceType.FULL, 1e-3, 1e-6, 100, 2, false, 5);
        GaussianMixture a = GaussianMixture.fit(X, N, D, s, ProgressListener.NONE);
        GaussianMixture b = GaussianMixture.fit(X, N, D, s, ProgressListener.NONE);
        assertArrayEquals(a.means(), b.means());
        assertArrayEquals(a.precisionsCholesky(), b.precisionsCholesky());
    }

    @Test
    void givenStoredParameters_whenRestored_thenScoresBitForBit() {
        for (CovarianceType t : CovarianceType.values()) {
            GaussianMixture g = GaussianMixture.fitFromLabels(X, N, D, settings(t, 3), LABELS);
            GaussianMixture r = GaussianMixture.of(t, D, g.weights(), g.means(), g.precisionsCholesky());
            assertArrayEquals(g.logLikelihoods(Q, M), r.logLikelihoods(Q, M), 0.0, t.id());
        }
    }

    @Test
    void givenFittedFullMixture_whenAskedForCovariances_thenTheyInvertThePrecisionFactors() {
        GaussianMixture g = GaussianMixture.fitFromLabels(X, N, D, settings(CovarianceType.FULL, 3), LABELS);
        double[] cov = g.covariances();
        float[] p = g.precisionsCholesky();
        for (int c = 0; c < 3; c++) { // Sigma (P P') = I
            for (int a = 0; a < D; a++) {
                for (int b = 0; b < D; b++) {
                    double acc = 0;
                    for (int t = 0; t < D; t++) {
                        double ppt = 0;
                        for (int u = 0; u < D; u++) {
                            ppt += p[c * 9 + t * 3 + u] * p[c * 9 + b * 3 + u];
                        }
                        acc += cov[c * 9 + a * 3 + t] * ppt;
                    }
                    assertEquals(a == b ? 1 : 0, acc, 1e-4);
                }
            }
        }
    }

    @Test
    void givenMoreComponentsThanSamples_whenFitting_thenRejected() {
        assertThrows(IllegalArgumentException.class, () -> GaussianMixture.fit(X, N, D,
                settings(CovarianceType.FULL, N + 1), ProgressListener.NONE));
    }

    @Test
    void givenDuplicatedPointsAndNoRegularisation_whenFitting_thenClearError() {
        float[] dup = new float[20 * D];
        for (int i = 0; i < 20; i++) {
            dup[i * D] = i < 10 ? 0f : 1f;
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> GaussianMixture.fit(dup, 20, D,
                new GaussianMixture.Settings(2, CovarianceType.FULL, 1e-3, 0, 100, 1, true, 0), ProgressListener.NONE));
        assertTrue(e.getMessage().contains("reg_covar"), e.getMessage());
    }
}
