package org.anomaly4j.density;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.anomaly4j.api.Detector;
import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.DetectorProvider;
import org.anomaly4j.api.ParamSpec;
import org.anomaly4j.io.ModelArchive;

/** Registers {@link Flow} with {@link org.anomaly4j.api.Detectors}. */
public final class FlowProvider implements DetectorProvider {
    @Override
    public String typeId() {
        return FlowConfig.TYPE;
    }

    @Override
    public String family() {
        return "density";
    }

    @Override
    public String description() {
        return "normalizing flow (affine coupling blocks, soft-clamped scales) on feature vectors, trained by maximum"
                + " likelihood; score = negative log-likelihood";
    }

    @Override
    public List<ParamSpec> parameters() {
        return FlowConfig.SPECS;
    }

    @Override
    public DetectorConfig<?> configure(Map<String, String> parameters) {
        return FlowConfig.fromParameters(parameters);
    }

    /** In the demo: HOG features reduced to 32 dimensions, a small flow trained for a few seconds. */
    @Override
    public Optional<Map<String, String>> demoParameters() {
        return Optional.of(Map.of("features", "hog:pca=16", "blocks", "4", "hidden", "64", "epochs", "30",
                "batch_size", "16"));
    }

    @Override
    public Detector load(ModelArchive archive) throws IOException {
        return Flow.restore(archive);
    }
}
