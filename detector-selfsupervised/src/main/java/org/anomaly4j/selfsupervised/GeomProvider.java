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

/** Registers GEOM ({@link TransformClassifier} with one joint head) with {@link org.anomaly4j.api.Detectors}. */
public final class GeomProvider implements DetectorProvider {
    @Override
    public String typeId() {
        return TransformConfig.GEOM;
    }

    @Override
    public String family() {
        return "self-supervised";
    }

    @Override
    public String description() {
        return "GEOM / RotateNet (Golan & El-Yaniv 2018): CNN classifying 72 composed flips, translations and "
                + "rotations of normal images; score = Dirichlet normality score (or summed log-probability)";
    }

    @Override
    public List<ParamSpec> parameters() {
        return TransformConfig.specs(TransformConfig.GEOM);
    }

    @Override
    public DetectorConfig<?> configure(Map<String, String> parameters) {
        return TransformConfig.fromParameters(TransformConfig.GEOM, parameters);
    }

    /** In the demo at 32x32 grey with 8 transformations (flip x 4 rotations), a tiny CNN and 2 epochs. */
    @Override
    public Optional<Map<String, String>> demoParameters() {
        return Optional.of(Map.of("size", "32", "shift", "0", "width", "8", "depth", "2", "epochs", "2",
                "batch_size", "32"));
    }

    @Override
    public Detector load(ModelArchive archive) throws IOException {
        return TransformClassifier.restore(archive);
    }
}
