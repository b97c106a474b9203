package org.anomaly4j.pixel.dfr;

import java.util.List;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.testkit.DetectorContract;

/**
 * The contract with a random-init MobileNetV2 (first level, stride 4) at 64x64, a 16-channel
 * bottleneck trained for 5 epochs on the default data (64x64 RGB grain, 30 images).
 */
class DfrContractTest extends DetectorContract {
    @Override
    protected DetectorConfig<?> config(long seed) {
        return DfrConfig.builder().optSize(64).optLevels("0").optGridStride(4).optLatent(16).optEpochs(5).optSigma(2)
                .optSeed(seed).build();
    }

    @Override
    protected double minimumAuroc() {
        return 0.7;
    }

    @Override
    protected List<Map<String, String>> invalidParameters() {
        return List.of(Map.of("levels", "2,1"), Map.of("levels", ""), Map.of("size", "16"), Map.of("grid_stride", "0"),
                Map.of("latent", "0"), Map.of("epochs", "0"), Map.of("lr", "-0.1"), Map.of("sigma", "-2"));
    }
}
