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

    /**
     * Not in the demo: with random backbone weights the 152 concatenated channels have large, nearly
     * collinear variances, and the paper's absolute ridge (0.01) leaves some positions' covariances
     * singular (measured on the demo data: LU failure); PaDiM needs pretrained features.
     */
    @Override
    public Optional<Map<String, String>> demoParameters() {
        return Optional.empty();
    }

    @Override
    public Detector load(ModelArchive archive) throws IOException {
        return Padim.restore(archive);
    }
}
