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

/** Registers {@link Knn} with {@link org.anomaly4j.api.Detectors}. */
public final class KnnProvider implements DetectorProvider {
    @Override
    public String typeId() {
        return KnnConfig.TYPE;
    }

    @Override
    public String family() {
        return "density";
    }

    @Override
    public String description() {
        return "k nearest training images in feature space; score = mean (or max) Euclidean distance to the k nearest";
    }

    @Override
    public List<ParamSpec> parameters() {
        return KnnConfig.SPECS;
    }

    @Override
    public DetectorConfig<?> configure(Map<String, String> parameters) {
        return KnnConfig.fromParameters(parameters);
    }

    /**
     * In the demo (image scores only, no maps) on HOG features, k = 5.
     */
    @Override
    public Optional<Map<String, String>> demoParameters() {
        return Optional.of(Map.of("features", "hog"));
    }

    @Override
    public Detector load(ModelArchive archive) throws IOException {
        return Knn.restore(archive);
    }
}
