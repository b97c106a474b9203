package org.anomaly4j.api;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.anomaly4j.io.ModelArchive;

/**
 * A detector type, registered through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/org.anomaly4j.api.DetectorProvider}). It lists the type's parameters,
 * builds configs from strings, and restores saved detectors.
 */
public interface DetectorProvider {

    /** The registry id, e.g. {@code "pixel-gaussian"}. */
    String typeId();

    /** The survey family: density, one-class, reconstruction, self-supervised or pixel. */
    String family();

    /** One line saying what the detector does. */
    String description();

    /** Every parameter with its default. */
    List<ParamSpec> parameters();

    /**
     * A validated configuration from string parameters; missing ones take defaults.
     *
     * @throws InvalidConfigException naming an unknown or invalid parameter
     */
    DetectorConfig<?> configure(Map<String, String> parameters);

    /**
     * The parameters the {@code demo} command fits this detector with, or empty when it does not
     * belong in the demo (needs pretrained weights, or takes minutes on a small CPU).
     */
    default Optional<Map<String, String>> demoParameters() {
        return Optional.empty();
    }

    /** Restores a detector from a fully read and verified archive of this type. */
    Detector load(ModelArchive archive) throws IOException;
}
