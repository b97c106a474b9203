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

/** Registers {@link Mahalanobis} with {@link org.anomaly4j.api.Detectors}. */
public final class MahalanobisProvider implements DetectorProvider {
    @Override
    public String typeId() {
        return MahalanobisConfig.TYPE;
    }

    @Override
    public String family() {
        return "density";
    }

    @Override
    public String description() {
        return "Gaussian of image features (Ledoit-Wolf or fixed shrinkage, optional PCA and reconstruction term); score = squared Mahalanobis distance";
    }

    @Override
    public List<ParamSpec> parameters() {
        return MahalanobisConfig.SPECS;
    }

    @Override
    public DetectorConfig<?> configure(Map<String, String> parameters) {
        return MahalanobisConfig.fromParameters(parameters);
    }

    /**
     * In the demo (image scores only, no maps) on HOG at 48x48 (936 values): the 64x64 default's 1,800 x 1,800
     * covariance would take seconds per category.
     */
    @Override
    public Optional<Map<String, String>> demoParameters() {
        return Optional.of(Map.of("features", "hog:size=48"));
    }

    @Override
    public Detector load(ModelArchive archive) throws IOException {
        return Mahalanobis.restore(archive);
    }
}
