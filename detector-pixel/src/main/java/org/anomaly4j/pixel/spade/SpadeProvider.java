package org.anomaly4j.pixel.spade;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.anomaly4j.api.Detector;
import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.DetectorProvider;
import org.anomaly4j.api.ParamSpec;
import org.anomaly4j.io.ModelArchive;

/** Registers {@link Spade} with {@link org.anomaly4j.api.Detectors}. */
public final class SpadeProvider implements DetectorProvider {
    @Override
    public String typeId() {
        return SpadeConfig.TYPE;
    }

    @Override
    public String family() {
        return "pixel";
    }

    @Override
    public String description() {
        return "SPADE: kNN over image features picks K normal images, pixel kNN over their feature pyramids";
    }

    @Override
    public List<ParamSpec> parameters() {
        return SpadeConfig.SPECS;
    }

    @Override
    public DetectorConfig<?> configure(Map<String, String> parameters) {
        return SpadeConfig.fromParameters(parameters);
    }

    /** Random-init backbone at 64x64: seconds on a CPU, no download. */
    @Override
    public Optional<Map<String, String>> demoParameters() {
        return Optional.of(Map.of("size", "64"));
    }

    @Override
    public Detector load(ModelArchive archive) throws IOException {
        return Spade.restore(archive);
    }
}
