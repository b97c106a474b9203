package org.anomaly4j.density;

import java.util.List;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.testkit.DetectorContract;

/** The contract on HOG features (see {@link ContractData} for the choice and the bound). */
class MahalanobisContractTest extends DetectorContract {
    @Override
    protected DetectorConfig<?> config(long seed) {
        return MahalanobisConfig.builder().optFeatures(ContractData.HOG_48).optSeed(seed).build();
    }

    @Override
    protected List<Map<String, String>> invalidParameters() {
        return List.of(Map.of("shrinkage", "1.5"), Map.of("shrinkage", "abc"), Map.of("pca", "-3"),
                Map.of("pca", "1.5"), Map.of("reconstruction_weight", "-1"), Map.of("reconstruction_weight", "1"),
                Map.of("features", "voxels"));
    }
}
