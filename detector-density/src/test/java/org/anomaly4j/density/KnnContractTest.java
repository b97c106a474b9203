package org.anomaly4j.density;

import java.util.List;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.testkit.DetectorContract;

/** The contract on HOG features (see {@link ContractData} for the choice and the bound). */
class KnnContractTest extends DetectorContract {
    @Override
    protected DetectorConfig<?> config(long seed) {
        return KnnConfig.builder().optFeatures(ContractData.HOG).optSeed(seed).build();
    }

    @Override
    protected List<Map<String, String>> invalidParameters() {
        return List.of(Map.of("k", "0"), Map.of("k", "five"), Map.of("aggregation", "median"),
                Map.of("features", "pixels:size=0"));
    }
}
