package org.anomaly4j.pixel.patchsvdd;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.anomaly4j.api.Detector;
import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.DetectorProvider;
import org.anomaly4j.api.ParamSpec;
import org.anomaly4j.io.ModelArchive;

/** Registers {@link PatchSvdd} with {@link org.anomaly4j.api.Detectors}. */
public final class PatchSvddProvider implements DetectorProvider {
    @Override
    public String typeId() {
        return PatchSvddConfig.TYPE;
    }

    @Override
    public String family() {
        return "pixel";
    }

    @Override
    public String description() {
        return "Patch SVDD (Yi & Yoon 2020): hierarchical 64/32-pixel patch encoder trained from scratch "
                + "(position classification + patch SVDD), nearest-neighbour distance of patch embeddings";
    }

    @Override
    public List<ParamSpec> parameters() {
        return PatchSvddConfig.SPECS;
    }

    @Override
    public DetectorConfig<?> configure(Map<String, String> parameters) {
        return PatchSvddConfig.fromParameters(parameters);
    }

    /** 64 px, 2 short epochs: shows the pipeline in seconds, not the method's accuracy. */
    @Override
    public Optional<Map<String, String>> demoParameters() {
        return Optional.of(Map.of("size", "64", "dim", "32", "epochs", "2", "patches_per_image", "4",
                "batch_size", "32", "lr", "0.001", "bank_stride", "8", "query_stride", "8", "sigma", "2"));
    }

    @Override
    public Detector load(ModelArchive archive) throws IOException {
        return PatchSvdd.restore(archive);
    }
}
