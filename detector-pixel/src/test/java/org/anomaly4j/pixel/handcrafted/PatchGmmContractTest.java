package org.anomaly4j.pixel.handcrafted;

import java.util.List;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.testkit.DetectorContract;

/** The contract at 64x64 with 16- and 32-pixel patches, 1500 training patches per size. */
class PatchGmmContractTest extends DetectorContract {
    @Override
    protected DetectorConfig<?> config(long seed) {
        return PatchGmmConfig.builder().optSize(64).optPatchSizes("16,32").optMaxPatches(1500).optSigma(2).optSeed(seed)
                .build();
    }

    @Override
    protected List<Map<String, String>> invalidParameters() {
        return List.of(Map.of("patch_sizes", "8"), Map.of("patch_sizes", "a,b"), Map.of("components", "0"),
                Map.of("covariance", "banded"), Map.of("reg_covar", "0"), Map.of("max_patches", "5"),
                Map.of("combine", "max"), Map.of("size", "16"));
    }
}
