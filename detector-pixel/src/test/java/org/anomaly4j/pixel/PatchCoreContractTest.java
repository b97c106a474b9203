package org.anomaly4j.pixel;

import java.util.List;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.pixel.patchcore.PatchCoreConfig;
import org.anomaly4j.testkit.DetectorContract;

/** PatchCore on the contract's 64x64 synthetic textures with a random-init MobileNetV2 (no download). */
class PatchCoreContractTest extends DetectorContract {
    @Override
    protected DetectorConfig<?> config(long seed) {
        return PatchCoreConfig.builder().optSize(64).optLayers("4,8").optSeed(seed).build();
    }

    @Override
    protected List<Map<String, String>> invalidParameters() {
        return List.of(Map.of("coreset_ratio", "0"), Map.of("layers", "8,8"), Map.of("pool", "2"),
                Map.of("size", "8"), Map.of("image_score", "mean"), Map.of("map_sigma", "abc"));
    }
}
