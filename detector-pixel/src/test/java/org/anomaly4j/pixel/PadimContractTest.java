package org.anomaly4j.pixel;

import java.util.List;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.pixel.padim.PadimConfig;
import org.anomaly4j.testkit.DetectorContract;

/** PaDiM on the contract's 64x64 synthetic textures with a random-init MobileNetV2 (no download). */
class PadimContractTest extends DetectorContract {
    @Override
    protected DetectorConfig<?> config(long seed) {
        return PadimConfig.builder().optSize(64).optChannels(64).optSeed(seed).build();
    }

    @Override
    protected List<Map<String, String>> invalidParameters() {
        return List.of(Map.of("covariance", "full"), Map.of("ridge", "-1"), Map.of("layers", "x"),
                Map.of("size", "2000"), Map.of("channels", "-3"));
    }
}
