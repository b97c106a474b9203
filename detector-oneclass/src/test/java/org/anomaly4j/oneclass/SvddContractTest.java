package org.anomaly4j.oneclass;

import java.util.List;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.testkit.DetectorContract;

/**
 * The contract on the default data (64x64 RGB grain, 30 training images) with HOG features, where
 * SVDD (like OC-SVM, its RBF twin) separates the planted defects completely (AUROC 1.0 measured;
 * bound 0.9).
 */
class SvddContractTest extends DetectorContract {
    @Override
    protected DetectorConfig<?> config(long seed) {
        return SvddConfig.builder().optFeatures("hog").optNu(0.1).optSeed(seed).build();
    }

    @Override
    protected double minimumAuroc() {
        return 0.9;
    }

    @Override
    protected List<Map<String, String>> invalidParameters() {
        return List.of(Map.of("nu", "0"), Map.of("nu", "-0.5"), Map.of("c", "-1"), Map.of("c", "NaN"),
                Map.of("kernel", "gauss"), Map.of("gamma", "0"), Map.of("tol", "-1"), Map.of("features", "pixels:pca=0"));
    }
}
