package org.anomaly4j.selfsupervised;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.anomaly4j.api.Detector;
import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.DetectorProvider;
import org.anomaly4j.api.ParamSpec;
import org.anomaly4j.io.ModelArchive;

/** Registers rotation + translation ({@link TransformClassifier} with separate heads). */
public final class RotTransProvider implements DetectorProvider {
    @Override
    public String typeId() {
        return TransformConfig.ROTNET_TRANS;
    }

    @Override
    public String family() {
        return "self-supervised";
    }

    @Override
    public String description() {
        return "Rotation + translation (Hendrycks et al. 2019): CNN with separate heads predicting the rotation and "
                + "the x/y translation of normal images; score = summed negative log-probability of the true labels";
    }

    @Override
    public List<ParamSpec> parameters() {
        return TransformConfig.specs(TransformConfig.ROTNET_TRANS);
    }

    @Override
    public DetectorConfig<?> configure(Map<String, String> parameters) {
        return TransformConfig.fromParameters(TransformConfig.ROTNET_TRANS, parameters);
    }

    /** In the demo at 32x32 grey with 36 transformations (4 rotations x 9 translations), a tiny CNN, 1 epoch. */
    @Override
    public Optional<Map<String, String>> demoParameters() {
        return Optional.of(Map.of("size", "32", "width", "8", "depth", "2", "epochs", "1",
                "batch_size", "32"));
    }

    @Override
    public Detector load(ModelArchive archive) throws IOException {
        return TransformClassifier.restore(archive);
    }
}
