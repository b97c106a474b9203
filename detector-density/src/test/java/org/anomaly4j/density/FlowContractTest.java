package org.anomaly4j.density;

import java.util.List;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.testkit.DetectorContract;

/**
 * The contract on HOG features (see {@link ContractData}): a small flow (two blocks), trained from the identity
 * for a few epochs.
 */
class FlowContractTest extends DetectorContract {
    @Override
    protected DetectorConfig<?> config(long seed) {
        return FlowConfig.builder().optFeatures(ContractData.HOG).optBlocks(2).optHidden(16).optEpochs(5)
                .optBatchSize(16).optSeed(seed).build();
    }

    @Override
    protected List<Map<String, String>> invalidParameters() {
        return List.of(Map.of("blocks", "0"), Map.of("hidden", "-1"), Map.of("clamp", "0"), Map.of("epochs", "0"),
                Map.of("batch_size", "0"), Map.of("lr", "0"), Map.of("weight_decay", "-1"),
                Map.of("features", "hog:pca=zero"));
    }
}
