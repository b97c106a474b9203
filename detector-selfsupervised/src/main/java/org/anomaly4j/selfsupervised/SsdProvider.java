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

/** Registers SSD ({@link Contrastive} with k-means clusters and Mahalanobis scores) with {@link org.anomaly4j.api.Detectors}. */
public final class SsdProvider implements DetectorProvider {
    @Override
    public String typeId() {
        return ContrastiveConfig.SSD;
    }

    @Override
    public String family() {
        return "self-supervised";
    }

    @Override
    public String description() {
        return "SSD (Sehwag et al. 2021): SimCLR encoder on normal images, k-means on the normalised features; "
                + "score = smallest Mahalanobis distance to a cluster";
    }

    @Override
    public List<ParamSpec> parameters() {
        return ContrastiveConfig.specs(ContrastiveConfig.SSD);
    }

    @Override
    public DetectorConfig<?> configure(Map<String, String> parameters) {
        return ContrastiveConfig.fromParameters(ContrastiveConfig.SSD, parameters);
    }

    /** In the demo at 32x32 grey with a tiny CNN and 3 epochs. */
    @Override
    public Optional<Map<String, String>> demoParameters() {
        return Optional.of(Map.of("size", "32", "width", "8", "depth", "2", "proj_dim", "32", "epochs", "3",
                "batch_size", "32"));
    }

    @Override
    public Detector load(ModelArchive archive) throws IOException {
        return Contrastive.restore(archive);
    }
}
