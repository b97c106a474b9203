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

/** Registers {@link OcSvm} with {@link org.anomaly4j.api.Detectors}. */
public final class OcSvmProvider implements DetectorProvider {
    @Override
    public String typeId() {
        return OcSvmConfig.TYPE;
    }

    @Override
    public String family() {
        return "one-class";
    }

    @Override
    public String description() {
        return "one-class SVM (nu-formulation, libsvm/scikit-learn compatible) on feature vectors; "
                + "score = -decision function";
    }

    @Override
    public List<ParamSpec> parameters() {
        return OcSvmConfig.SPECS;
    }

    @Override
    public DetectorConfig<?> configure(Map<String, String> parameters) {
        return OcSvmConfig.fromParameters(parameters);
    }

    @Override
    public Optional<Map<String, String>> demoParameters() {
        return Optional.of(Map.of("features", "hog", "nu", "0.1"));
    }

    @Override
    public Detector load(ModelArchive archive) throws IOException {
        return OcSvm.restore(archive);
    }
}
