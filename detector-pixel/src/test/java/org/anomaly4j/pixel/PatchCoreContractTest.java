package org.anomaly4j.pixel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.ImageScore;
import org.anomaly4j.api.LabeledImage;
import org.anomaly4j.pixel.patchcore.PatchCore;
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

    /** image_score=map: the image score is the largest value of the smoothed map (maps unchanged). */
    @Test
    void mapImageScoreIsTheMapMaximum() {
        try (PatchCore byMap = PatchCore.fit(split().train(), PatchCoreConfig.builder().optSize(64).optLayers("4,8")
                .optImageScore("map").optSeed(SEED).build())) {
            LabeledImage li = split().test().iterator().next();
            ImageScore s = byMap.score(li.image());
            ImageScore max = detector().score(li.image());
            float mx = s.map().orElseThrow().max();
            assertEquals(mx, s.score(), 1e-6 * Math.max(1, Math.abs(mx)));
            assertEquals(max.map().orElseThrow(), s.map().orElseThrow());
            assertNotEquals(max.score(), s.score());
        }
    }
}
