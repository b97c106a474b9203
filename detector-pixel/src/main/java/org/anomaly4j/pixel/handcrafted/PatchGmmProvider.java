package org.anomaly4j.pixel.handcrafted;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.anomaly4j.api.Detector;
import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.DetectorProvider;
import org.anomaly4j.api.ParamSpec;
import org.anomaly4j.io.ModelArchive;

/** Registers {@link PatchGmm} with {@link org.anomaly4j.api.Detectors}. */
public final class PatchGmmProvider implements DetectorProvider {
    @Override
    public String typeId() {
        return PatchGmmConfig.TYPE;
    }

    @Override
    public String family() {
        return "pixel";
    }

    @Override
    public String description() {
        return "Handcrafted patch model: Gaussian mixture over gray-level statistics + HOG of patches at several "
                + "sizes; map = standardised patch negative log-likelihood, combined across sizes";
    }

    @Override
    public List<ParamSpec> parameters() {
        return PatchGmmConfig.SPECS;
    }

    @Override
    public DetectorConfig<?> configure(Map<String, String> parameters) {
        return PatchGmmConfig.fromParameters(parameters);
    }

    /** Plain Java, fits in seconds at 128 px. */
    @Override
    public Optional<Map<String, String>> demoParameters() {
        return Optional.of(Map.of("size", "128", "patch_sizes", "16,32", "max_patches", "5000"));
    }

    @Override
    public Detector load(ModelArchive archive) throws IOException {
        return PatchGmm.restore(archive);
    }
}
