package org.anomaly4j.selfsupervised;

import java.util.List;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.data.DatasetSplit;
import org.anomaly4j.testdata.DefectKind;
import org.anomaly4j.testdata.SyntheticConfig;
import org.anomaly4j.testkit.DetectorContract;

/**
 * The contract with a tiny SSD (16x16 input, width 8, depth 2, 32-d projection, 3 epochs) on 32x32 grey wood
 * grain (40 training images): AUROC 0.85 there with seed 7 (bound 0.75).
 */
class SsdContractTest extends DetectorContract {
    @Override
    protected DatasetSplit data() {
        return SyntheticConfig.builder().setSeed(11).optSize(32, 32).optChannels(1).optKinds("grain")
                .optDefects(DefectKind.values()).optCounts(40, 10, 10).generate();
    }

    @Override
    protected DetectorConfig<?> config(long seed) {
        return ContrastiveConfig.ssd().optSize(16).optNetwork(8, 2, 32).optEpochs(3).optBatchSize(32).optLr(3e-3)
                .optSeed(seed).build();
    }

    @Override
    protected double minimumAuroc() {
        return 0.75;
    }

    @Override
    protected List<Map<String, String>> invalidParameters() {
        return List.of(Map.of("size", "4"), Map.of("temperature", "0"), Map.of("crop_scale", "0"),
                Map.of("jitter", "1"), Map.of("clusters", "0"), Map.of("shift_weight", "1"), Map.of("epochs", "0"),
                Map.of("batch_size", "1"));
    }
}
