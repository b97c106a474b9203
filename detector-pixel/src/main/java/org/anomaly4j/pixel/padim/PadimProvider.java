package org.anomaly4j.pixel.padim;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.anomaly4j.api.Detector;
import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.DetectorProvider;
import org.anomaly4j.api.ParamSpec;
import org.anomaly4j.io.ModelArchive;

/** Registers {@link Padim} with {@link org.anomaly4j.api.Detectors}. */
public final class PadimProvider implements DetectorProvider {
    @Override
    public String typeId() {
        return PadimConfig.TYPE;
    }

    @Override
    public String family() {
        return "pixel";
    }

    @Override
    public String description() {
        return "PaDiM: a Gaussian per patch position over multi-level features, Mahalanobis distance map";
    }

    @Override
    public List<ParamSpec> parameters() {
        return PadimConfig.SPECS;
    }

    @Override
    public DetectorConfig<?> configure(Map<String, String> parameters) {
        return PadimConfig.fromParameters(parameters);
    }

    /** Random-init backbone at 64x64: seconds on a CPU, no download. */
    @Override
    public Optional<Map<String, String>> demoParameters() {
        return Optional.of(Map.of("size", "64"));
    }

    @Override
    public Detector load(ModelArchive archive) throws IOException {
        return Padim.restore(archive);
    }
}
