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

/** Registers {@link Kde} with {@link org.anomaly4j.api.Detectors}. */
public final class KdeProvider implements DetectorProvider {
    @Override
    public String typeId() {
        return KdeConfig.TYPE;
    }

    @Override
    public String family() {
        return "density";
    }

    @Override
    public String description() {
        return "Gaussian kernel density of image features (scott, silverman, isotropic, cv or fixed bandwidth); score = -log density";
    }

    @Override
    public List<ParamSpec> parameters() {
        return KdeConfig.SPECS;
    }

    @Override
    public DetectorConfig<?> configure(Map<String, String> parameters) {
        return KdeConfig.fromParameters(parameters);
    }

    /**
     * In the demo (image scores only, no maps) on HOG features, isotropic bandwidth.
     */
    @Override
    public Optional<Map<String, String>> demoParameters() {
        return Optional.of(Map.of("features", "hog"));
    }

    @Override
    public Detector load(ModelArchive archive) throws IOException {
        return Kde.restore(archive);
    }
}
