package org.anomaly4j.pixel.patchsvdd;

import java.util.List;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.testkit.DetectorContract;

/**
 * The contract with a Patch SVDD encoder of dimension 16 trained from scratch for 2 short epochs at
 * 64x64 on the default data (64x64 RGB grain, 30 images), bank and queries every 8 pixels.
 */
class PatchSvddContractTest extends DetectorContract {
    @Override
    protected DetectorConfig<?> config(long seed) {
        return PatchSvddConfig.builder().optSize(64).optDim(16).optEpochs(2).optPatchesPerImage(2).optBatchSize(32)
                .optLr(1e-3).optBankStride(8).optQueryStride(8).optSigma(2).optSeed(seed).build();
    }

    @Override
    protected double minimumAuroc() {
        return 0.7;
    }

    @Override
    protected List<Map<String, String>> invalidParameters() {
        return List.of(Map.of("size", "62"), Map.of("size", "32"), Map.of("channels", "2"), Map.of("dim", "0"),
                Map.of("epochs", "0"), Map.of("lambda", "-1"), Map.of("bank_stride", "6"), Map.of("query_stride", "0"),
                Map.of("combine", "max"), Map.of("lr", "x"));
    }
}
