package org.anomaly4j.density;

import java.util.List;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.testkit.DetectorContract;

/** The contract on HOG features (see {@link ContractData} for the choice and the bound). */
class GmmContractTest extends DetectorContract {
    @Override
    protected DetectorConfig<?> config(long seed) {
        return GmmConfig.builder().optFeatures(ContractData.HOG).optBic(3).optCovarianceType("diag").optSeed(seed)
                .build();
    }

    @Override
    protected List<Map<String, String>> invalidParameters() {
        return List.of(Map.of("components", "0"), Map.of("components", "many"), Map.of("covariance_type", "banded"),
                Map.of("tol", "0"), Map.of("reg_covar", "-1"), Map.of("max_iter", "0"), Map.of("n_init", "0"),
                Map.of("init", "random"), Map.of("max_components", "0"));
    }
}
