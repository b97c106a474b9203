package org.anomaly4j.oneclass;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.anomaly4j.api.Detector;
import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.DetectorProvider;
import org.anomaly4j.api.ParamSpec;
import org.anomaly4j.io.ModelArchive;

/**
 * Registers {@link DeepSvdd} with {@link org.anomaly4j.api.Detectors}. Not in the demo: training
 * takes minutes on a small CPU.
 */
public final class DeepSvddProvider implements DetectorProvider {
    @Override
    public String typeId() {
        return DeepSvddConfig.TYPE;
    }

    @Override
    public String family() {
        return "one-class";
    }

    @Override
    public String description() {
        return "Deep SVDD (Ruff et al. 2018): bias-free CNN mapping normal images near a centre, optional autoencoder "
                + "pretraining, one-class or soft-boundary objective; score = squared distance to the centre";
    }

    @Override
    public List<ParamSpec> parameters() {
        return DeepSvddConfig.SPECS;
    }

    @Override
    public DetectorConfig<?> configure(Map<String, String> parameters) {
        return DeepSvddConfig.fromParameters(parameters);
    }

    @Override
    public Detector load(ModelArchive archive) throws IOException {
        return DeepSvdd.restore(archive);
    }
}
