package org.anomaly4j.pixel;

import java.util.List;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.pixel.spade.SpadeConfig;
import org.anomaly4j.testkit.DetectorContract;

/** SPADE on the contract's 64x64 synthetic textures with a random-init MobileNetV2 (no download). */
class SpadeContractTest extends DetectorContract {
    @Override
    protected DetectorConfig<?> config(long seed) {
        return SpadeConfig.builder().optSize(64).optLayers("4,8").optGrid(4).optKImages(5).optSeed(seed).build();
    }

    @Override
    protected List<Map<String, String>> invalidParameters() {
        return List.of(Map.of("k_images", "0"), Map.of("layers", "4,,x"), Map.of("size", "16"),
                Map.of("map_sigma", "-1"));
    }
}
