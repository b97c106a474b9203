package org.anomaly4j.oneclass;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.anomaly4j.api.Detector;
import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.DetectorProvider;
import org.anomaly4j.api.ParamSpec;
import org.anomaly4j.io.ModelArchive;

/** Registers {@link Svdd} with {@link org.anomaly4j.api.Detectors}. */
public final class SvddProvider implements DetectorProvider {
    @Override
    public String typeId() {
        return SvddConfig.TYPE;
    }

    @Override
    public String family() {
        return "one-class";
    }

    @Override
    public String description() {
        return "support vector data description: smallest kernel ball around the normal features; "
                + "score = squared distance to the centre minus R^2";
    }

    @Override
    public List<ParamSpec> parameters() {
        return SvddConfig.SPECS;
    }

    @Override
    public DetectorConfig<?> configure(Map<String, String> parameters) {
        return SvddConfig.fromParameters(parameters);
    }

    @Override
    public Optional<Map<String, String>> demoParameters() {
        return Optional.of(Map.of("features", "hog"));
    }

    @Override
    public Detector load(ModelArchive archive) throws IOException {
        return Svdd.restore(archive);
    }
}
