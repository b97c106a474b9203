package org.anomaly4j.density;

import java.util.List;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.testkit.DetectorContract;

class PixelGaussianContractTest extends DetectorContract {
    @Override
    protected DetectorConfig<?> config(long seed) {
        return PixelGaussianConfig.builder().optSize(48, 48).optSeed(seed).build();
    }

    /** A per-pixel model is weak on textures whose phase moves (the default data is "grain"). */
    @Override
    protected double minimumAuroc() {
        return 0.8;
    }

    @Override
    protected List<Map<String, String>> invalidParameters() {
        return List.of(Map.of("width", "0"), Map.of("channels", "2"), Map.of("min_std", "-1"),
                Map.of("score_quantile", "1.5"), Map.of("map_sigma", "abc"));
    }
}
