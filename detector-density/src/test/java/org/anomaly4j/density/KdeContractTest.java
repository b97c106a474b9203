package org.anomaly4j.density;

import java.util.List;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.testkit.DetectorContract;

/** The contract on HOG features (see {@link ContractData} for the choice and the bound). */
class KdeContractTest extends DetectorContract {
    @Override
    protected DetectorConfig<?> config(long seed) {
        return KdeConfig.builder().optFeatures(ContractData.HOG).optSeed(seed).build();
    }

    @Override
    protected List<Map<String, String>> invalidParameters() {
        return List.of(Map.of("bandwidth", "0"), Map.of("bandwidth", "-1"), Map.of("bandwidth", "wide"),
                Map.of("bandwidth", "NaN"), Map.of("features", "pixels:pca=-1"));
    }
}
