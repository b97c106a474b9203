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

/** Registers {@link PixelGaussian} with {@link org.anomaly4j.api.Detectors}. */
public final class PixelGaussianProvider implements DetectorProvider {
    @Override
    public String typeId() {
        return PixelGaussianConfig.TYPE;
    }

    @Override
    public String family() {
        return "density";
    }

    @Override
    public String description() {
        return "per-pixel Gaussian of normal images; z-score map, image score = a high quantile of the map";
    }

    @Override
    public List<ParamSpec> parameters() {
        return PixelGaussianConfig.SPECS;
    }

    @Override
    public DetectorConfig<?> configure(Map<String, String> parameters) {
        return PixelGaussianConfig.fromParameters(parameters);
    }

    @Override
    public Optional<Map<String, String>> demoParameters() {
        return Optional.of(Map.of());
    }

    @Override
    public Detector load(ModelArchive archive) throws IOException {
        return PixelGaussian.restore(archive);
    }
}
