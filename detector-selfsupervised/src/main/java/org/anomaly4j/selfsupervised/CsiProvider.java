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

/** Registers CSI ({@link Contrastive} with rotations as shifted instances) with {@link org.anomaly4j.api.Detectors}. */
public final class CsiProvider implements DetectorProvider {
    @Override
    public String typeId() {
        return ContrastiveConfig.CSI;
    }

    @Override
    public String family() {
        return "self-supervised";
    }

    @Override
    public String description() {
        return "CSI (Tack et al. 2020): SimCLR encoder with rotated copies as shifted negatives and a rotation head; "
                + "score = max cosine similarity to the training features x feature norm, plus rotation logits";
    }

    @Override
    public List<ParamSpec> parameters() {
        return ContrastiveConfig.specs(ContrastiveConfig.CSI);
    }

    @Override
    public DetectorConfig<?> configure(Map<String, String> parameters) {
        return ContrastiveConfig.fromParameters(ContrastiveConfig.CSI, parameters);
    }

    /** In the demo at 32x32 grey with a tiny CNN and 3 epochs. */
    @Override
    public Optional<Map<String, String>> demoParameters() {
        return Optional.of(Map.of("size", "32", "width", "8", "depth", "2", "proj_dim", "32", "epochs", "3",
                "batch_size", "16"));
    }

    @Override
    public Detector load(ModelArchive archive) throws IOException {
        return Contrastive.restore(archive);
    }
}
