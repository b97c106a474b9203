package org.anomaly4j.pixel.dfr;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.anomaly4j.api.Detector;
import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.DetectorProvider;
import org.anomaly4j.api.ParamSpec;
import org.anomaly4j.io.ModelArchive;

/**
 * Registers {@link Dfr} with {@link org.anomaly4j.api.Detectors}. Not in the demo: it needs a
 * pretrained backbone to mean anything.
 */
public final class DfrProvider implements DetectorProvider {
    @Override
    public String typeId() {
        return DfrConfig.TYPE;
    }

    @Override
    public String family() {
        return "pixel";
    }

    @Override
    public String description() {
        return "DFR (Shi et al. 2021): 1x1 convolutional autoencoder over stacked multi-level backbone features; "
                + "map = feature reconstruction error";
    }

    @Override
    public List<ParamSpec> parameters() {
        return DfrConfig.SPECS;
    }

    @Override
    public DetectorConfig<?> configure(Map<String, String> parameters) {
        return DfrConfig.fromParameters(parameters);
    }

    @Override
    public Detector load(ModelArchive archive) throws IOException {
        return Dfr.restore(archive);
    }
}
