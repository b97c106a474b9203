package org.anomaly4j.pixel.patchcore;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.anomaly4j.api.Detector;
import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.DetectorProvider;
import org.anomaly4j.api.ParamSpec;
import org.anomaly4j.io.ModelArchive;

/** Registers {@link PatchCore} with {@link org.anomaly4j.api.Detectors}. */
public final class PatchCoreProvider implements DetectorProvider {
    @Override
    public String typeId() {
        return PatchCoreConfig.TYPE;
    }

    @Override
    public String family() {
        return "pixel";
    }

    @Override
    public String description() {
        return "PatchCore: coreset memory bank of locally aware patch features, nearest-neighbour patch distances";
    }

    @Override
    public List<ParamSpec> parameters() {
        return PatchCoreConfig.SPECS;
    }

    @Override
    public DetectorConfig<?> configure(Map<String, String> parameters) {
        return PatchCoreConfig.fromParameters(parameters);
    }

    /** Random-init backbone at 64x64: seconds on a CPU, no download (maps still localise texture defects). */
    @Override
    public Optional<Map<String, String>> demoParameters() {
        return Optional.of(Map.of("size", "64"));
    }

    @Override
    public Detector load(ModelArchive archive) throws IOException {
        return PatchCore.restore(archive);
    }
}
