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

/** Registers {@link Gmm} with {@link org.anomaly4j.api.Detectors}. */
public final class GmmProvider implements DetectorProvider {
    @Override
    public String typeId() {
        return GmmConfig.TYPE;
    }

    @Override
    public String family() {
        return "density";
    }

    @Override
    public String description() {
        return "Gaussian mixture of image features by EM (full/tied/diag/spherical, k-means++ init, components by BIC); score = -log likelihood";
    }

    @Override
    public List<ParamSpec> parameters() {
        return GmmConfig.SPECS;
    }

    @Override
    public DetectorConfig<?> configure(Map<String, String> parameters) {
        return GmmConfig.fromParameters(parameters);
    }

    /**
     * In the demo (image scores only, no maps) on HOG features; diagonal covariances (1,800 dimensions, 40 images),
     * components by BIC up to 3.
     */
    @Override
    public Optional<Map<String, String>> demoParameters() {
        return Optional.of(Map.of("features", "hog", "covariance_type", "diag", "max_components", "3"));
    }

    @Override
    public Detector load(ModelArchive archive) throws IOException {
        return Gmm.restore(archive);
    }
}
