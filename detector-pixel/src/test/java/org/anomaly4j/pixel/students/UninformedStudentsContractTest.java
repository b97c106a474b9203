package org.anomaly4j.pixel.students;

import java.util.List;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.testkit.DetectorContract;

/**
 * The contract with a random-init MobileNetV2 teacher (first level, stride 4) at 64x64 and three
 * 8-channel students trained for 3 epochs on the default data (64x64 RGB grain, 30 images).
 */
class UninformedStudentsContractTest extends DetectorContract {
    @Override
    protected DetectorConfig<?> config(long seed) {
        return UninformedStudentsConfig.builder().optSize(64).optLevel(0).optStudents(3).optWidth(8).optEpochs(3)
                .optSigma(2).optSeed(seed).build();
    }

    @Override
    protected double minimumAuroc() {
        return 0.75;
    }

    @Override
    protected List<Map<String, String>> invalidParameters() {
        return List.of(Map.of("students", "1"), Map.of("level", "-1"), Map.of("width", "2"), Map.of("epochs", "0"),
                Map.of("lr", "0"), Map.of("size", "8"), Map.of("batch_size", "0"));
    }
}
