package org.anomaly4j.pixel.stfpm;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.anomaly4j.api.Detector;
import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.DetectorProvider;
import org.anomaly4j.api.ParamSpec;
import org.anomaly4j.io.ModelArchive;

/**
 * Registers {@link Stfpm} with {@link org.anomaly4j.api.Detectors}. Not in the demo: it needs a
 * pretrained teacher to mean anything.
 */
public final class StfpmProvider implements DetectorProvider {
    @Override
    public String typeId() {
        return StfpmConfig.TYPE;
    }

    @Override
    public String family() {
        return "pixel";
    }

    @Override
    public String description() {
        return "STFPM (Wang et al. 2021): a MobileNetV2 student trained to match a frozen teacher's feature pyramid; "
                + "map = product over levels of the normalised feature distance";
    }

    @Override
    public List<ParamSpec> parameters() {
        return StfpmConfig.SPECS;
    }

    @Override
    public DetectorConfig<?> configure(Map<String, String> parameters) {
        return StfpmConfig.fromParameters(parameters);
    }

    @Override
    public Detector load(ModelArchive archive) throws IOException {
        return Stfpm.restore(archive);
    }
}
