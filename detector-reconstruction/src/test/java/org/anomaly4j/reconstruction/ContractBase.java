package org.anomaly4j.reconstruction;

import java.util.List;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.data.DatasetSplit;
import org.anomaly4j.reconstruction.ReconstructionConfig.Method;
import org.anomaly4j.testdata.DefectKind;
import org.anomaly4j.testdata.SyntheticConfig;
import org.anomaly4j.testkit.DetectorContract;

/**
 * The contract for one reconstruction method with a tiny network (filters 8, code 16, 32x32 grey
 * {@code weave}, 24 training images, a few epochs).
 */
abstract class ContractBase extends DetectorContract {
    private final Method method;
    private final Map<String, String> extra;

    private final String kind;

    ContractBase(Method method, Map<String, String> extra) {
        this(method, extra, "weave");
    }

    ContractBase(Method method, Map<String, String> extra, String kind) {
        this.method = method;
        this.extra = extra;
        this.kind = kind;
    }

    @Override
    protected DatasetSplit data() {
        return SyntheticConfig.builder().setSeed(11).optSize(32, 32).optChannels(1).optKinds(kind)
                .optDefects(DefectKind.values()).optCounts(24, 8, 8).generate();
    }

    @Override
    protected DetectorConfig<?> config(long seed) {
        ReconstructionConfig.Builder b = ReconstructionConfig.builder(method).optSize(32, 32).optChannels(1)
                .optFilters(4).optLatent(16).optEpochs(2).optBatchSize(8).optLr(2e-3).optSeed(seed);
        extra.forEach(b::put);
        return b.build();
    }

    @Override
    protected double minimumAuroc() {
        return 0.6;
    }

    @Override
    protected List<Map<String, String>> invalidParameters() {
        return List.of(Map.of("width", "7"), Map.of("channels", "2"), Map.of("epochs", "0"), Map.of("lr", "-1"),
                Map.of("image_score", "median"), Map.of("depth", "9"), Map.of("batch_size", "x"),
                Map.of("unknown_param", "1"), Map.of("blur", "-1"), Map.of("power", "0"), Map.of("power", "x"));
    }
}
