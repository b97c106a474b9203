package org.anomaly4j.density;

import org.anomaly4j.mixture.GaussianMixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.Detector;
import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.DetectorProvider;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.api.ImageScore;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidConfigException;

/**
 * The four detectors end to end on {@link SklearnFixture} (3x1 grey images, so the {@code pixels}
 * features are the rows), against scikit-learn 1.2.1: scores must equal the library's numbers.
 */
class DensityDetectorsTest {
    private static double[] scores(DetectorConfig<?> config) {
        try (Detector d = config.fit(SklearnFixture.train())) {
            double[] batch = d.scoreAll(SklearnFixture.queries()).stream().mapToDouble(ImageScore::score).toArray();
            for (int i = 0; i < batch.length; i++) {
                assertEquals(batch[i], d.score(SklearnFixture.queries().get(i)).score(), 0.0, "score equals scoreAll");
            }
            return batch;
        }
    }

    private static double[] negate(double... v) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = -out[i];
        }
        return out;
    }

    @Test
    void givenLedoitWolf_whenScoring_thenSquaredMahalanobisAsScikitLearn() {
        // LedoitWolf().fit(X).mahalanobis(Q); shrinkage_ 0.059421773053122094
        assertArrayEquals(new double[] {2.0165949770306337, 0.7484133773025919, 20.952987875813495,
            1.9422737426470866}, scores(MahalanobisConfig.defaults()), 2e-5);
        try (Mahalanobis m = Mahalanobis.fit(SklearnFixture.train(), MahalanobisConfig.defaults())) {
            assertEquals(0.059421773053122094, Double.parseDouble(m.provenance().notes().get("shrinkage")), 1e-12);
        }
    }

    @Test
    void givenFixedShrinkage_whenScoring_thenAsShrunkCovariance() {
        // ShrunkCovariance(shrinkage=0.3).fit(X).mahalanobis(Q)
        assertArrayEquals(new double[] {2.2294569192275615, 0.2951191287267846, 10.771549703074736,
            2.1693065645855265}, scores(MahalanobisConfig.builder().optShrinkage(0.3).build()), 2e-5);
    }

    @Test
    void givenPcaAndReconstructionWeight_whenScoring_thenMahalanobisOfProjectionPlusWeightedResidual() {
        // p = PCA(2, svd_solver="full").fit(X); z = p.transform(X); zq = p.transform(Q); lw = LedoitWolf().fit(z)
        // res = ((X - p.inverse_transform(z)) ** 2).sum(1).mean() / (3 - 2)            -> 0.0036357394200866124
        // lw.mahalanobis(zq)
        assertArrayEquals(new double[] {1.9882617279256352, 0.0767339662859178, 5.811828200373655,
            1.9153445336018426}, scores(MahalanobisConfig.builder().optPca(2).build()), 2e-5);
        // lw.mahalanobis(zq) + 0.5 * ((Q - p.inverse_transform(zq)) ** 2).sum(1) / res
        assertArrayEquals(new double[] {1.9886775394938578, 0.7473899789411392, 20.61156452812117,
            1.9282626095157362}, scores(MahalanobisConfig.builder().optPca(2).optReconstructionWeight(0.5).build()),
                2e-4);
    }

    @Test
    void givenOneComponent_whenScoring_thenMinusScoreSamplesOfScikitLearn() {
        // -GaussianMixture(1, random_state=0).fit(X).score_samples(Q)
        assertArrayEquals(negate(1.5559744885062097, 1.8302973720810312, -15.45454650518351, 1.5896248092719825),
                scores(GmmConfig.builder().optComponents(1).build()), 1e-4);
    }

    @Test
    void givenBicSearch_whenFittingThreeBlobs_thenThreeComponentsWin() {
        // [GaussianMixture(k, random_state=0).fit(X).bic(X) for k in 1..5]
        // -> -42.93, -110.43, -117.05, -92.78, -78.35: three components
        try (Gmm g = Gmm.fit(SklearnFixture.train(), GmmConfig.builder().optBic(5).build())) {
            assertEquals(3, g.components());
            assertTrue(g.provenance().notes().get("bic").startsWith("1:"), g.provenance().notes().toString());
        }
    }

    @Test
    void givenFixedBandwidth_whenScoring_thenMinusScoreSamplesOfKernelDensity() {
        // -KernelDensity(bandwidth=0.1).fit(X).score_samples(Q)
        assertArrayEquals(negate(2.7274380451077738, 0.6376227696459225, -8.232219939497877, 2.1759720594153205),
                scores(KdeConfig.builder().optBandwidth(0.1).build()), 1e-5);
    }

    @Test
    void givenK3_whenScoring_thenMeanAndMaxOfScikitLearnKneighbors() {
        // dist, _ = NearestNeighbors(n_neighbors=3).fit(X).kneighbors(Q); dist.mean(1), dist.max(1)
        double[][] dist = {{0.02139541240254555, 0.04059494080239556, 0.04555431167847891},
            {0.12052537984798056, 0.17943256371649768, 0.20465917027233962},
            {0.4291189420268581, 0.4497110074640991, 0.48627713713638904},
            {0.08024468196943023, 0.09718636956738069, 0.09897546452593693}};
        double[] mean = new double[4];
        double[] max = new double[4];
        for (int i = 0; i < 4; i++) {
            mean[i] = (dist[i][0] + dist[i][1] + dist[i][2]) / 3;
            max[i] = dist[i][2];
        }
        // the search returns float32 distances (exact neighbours, distances rounded to float)
        assertArrayEquals(mean, scores(KnnConfig.builder().optK(3).build()), 1e-7);
        assertArrayEquals(max, scores(KnnConfig.builder().optK(3).optAggregation("max").build()), 1e-7);
    }

    @Test
    void givenRandomFeatures_whenScoringKnn_thenEqualsBruteForceAndSingleImagesEqualTheBatch() {
        SplittableRandom r = new SplittableRandom(4);
        int n = 300;
        int d = 37;
        int m = 25;
        int k = 7;
        List<AnomalyImage> train = new ArrayList<>();
        float[] t = new float[n * d];
        for (int i = 0; i < n; i++) {
            float[] row = new float[d];
            for (int j = 0; j < d; j++) {
                row[j] = (float) r.nextDouble();
            }
            System.arraycopy(row, 0, t, i * d, d);
            train.add(AnomalyImage.of(d, 1, 1, row));
        }
        List<AnomalyImage> queries = new ArrayList<>();
        queries.add(train.get(3)); // a training image: nearest distance 0
        for (int i = 1; i < m; i++) {
            float[] row = new float[d];
            for (int j = 0; j < d; j++) {
                row[j] = (float) r.nextDouble();
            }
            queries.add(AnomalyImage.of(d, 1, 1, row));
        }
        try (Knn knn = Knn.fit(ImageSet.ofNormals("random", train), KnnConfig.builder().optK(k).build())) {
            List<ImageScore> batch = knn.scoreAll(queries);
            for (int q = 0; q < m; q++) {
                float[] x = queries.get(q).toArray();
                double[] all = new double[n];
                for (int i = 0; i < n; i++) {
                    double acc = 0;
                    for (int j = 0; j < d; j++) {
                        double z = (double) x[j] - t[i * d + j];
                        acc += z * z;
                    }
                    all[i] = Math.sqrt(acc);
                }
                Arrays.sort(all);
                double mean = 0;
                for (int j = 0; j < k; j++) {
                    mean += all[j];
                }
                assertEquals(mean / k, batch.get(q).score(), 1e-6, "query " + q);
                assertEquals(batch.get(q).score(), knn.score(queries.get(q)).score(), 0.0, "single equals batch");
            }
            assertEquals(0, knn.liveTensorCount(), "no native memory between searches");
        }
    }

    @Test
    void givenEveryConfiguration_whenSavedAndLoaded_thenScoresAreIdentical(@TempDir Path dir) throws Exception {
        List<DetectorConfig<?>> configs = List.of(MahalanobisConfig.builder().optPca(2).optReconstructionWeight(1)
                .build(), GmmConfig.builder().optComponents(2).optCovarianceType("tied").build(),
                GmmConfig.builder().optComponents(3).optCovarianceType("spherical").build(),
                GmmConfig.builder().optComponents(3).optCovarianceType("diag").build(),
                KdeConfig.builder().optBandwidth("scott").build(), KdeConfig.builder().optBandwidth("cv").build(),
                KnnConfig.builder().optK(2).build());
        int i = 0;
        for (DetectorConfig<?> c : configs) {
            Path file = dir.resolve("m" + i++ + ".a4j");
            try (Detector d = c.fit(SklearnFixture.train())) {
                d.save(file);
                try (Detector again = Detectors.load(file)) {
                    assertEquals(d.config(), again.config());
                    assertArrayEquals(d.scoreAll(SklearnFixture.queries()).stream().mapToDouble(ImageScore::score)
                            .toArray(), again.scoreAll(SklearnFixture.queries()).stream()
                            .mapToDouble(ImageScore::score).toArray(), 0.0, c.toString());
                }
            }
        }
    }

    @Test
    void givenRegistry_whenListing_thenTheFourDensityTypesAreThere() {
        List<String> ids = Detectors.list().stream().filter(p -> p.family().equals("density"))
                .map(DetectorProvider::typeId).toList();
        assertTrue(ids.containsAll(List.of("gaussian", "gmm", "kde", "knn")), ids.toString());
        for (String id : List.of("gaussian", "gmm", "kde", "knn")) {
            DetectorProvider p = Detectors.provider(id);
            assertFalse(p.description().isBlank());
            assertEquals("pixels", p.parameters().get(0).defaultValue(), id + " features default");
            assertEquals(p.configure(Map.of()), p.configure(p.configure(Map.of()).toParameters()));
        }
    }

    @Test
    void givenConfigs_whenBuilt_thenCanonicalAndValidated() {
        assertEquals("pixels:size=32x16,pca=20", KdeConfig.builder().optFeatures(" pixels:pca=20,size=32x16 ").build()
                .features());
        assertEquals("0.25", MahalanobisConfig.builder().optShrinkage(0.25).build().shrinkage());
        assertEquals("bic", GmmConfig.defaults().toParameters().get("components"));
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> KnnConfig.builder().optFeatures("pixels:pca=abc").build());
        assertEquals("features", e.parameter());
        assertThrows(InvalidConfigException.class, () -> Knn.fit(SklearnFixture.train(),
                KnnConfig.builder().optK(SklearnFixture.N + 1).build()));
    }
}
