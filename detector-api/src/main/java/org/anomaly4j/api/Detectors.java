package org.anomaly4j.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.anomaly4j.io.DetectorTypeMismatchException;
import org.anomaly4j.io.ModelArchive;
import org.anomaly4j.io.UnknownDetectorTypeException;

/** The registry of detector types (found with {@link ServiceLoader}) and the entry point to load saved ones. */
public final class Detectors {
    private Detectors() {
    }

    /** Every registered detector type, sorted by family then id. */
    public static List<DetectorProvider> list() {
        return registry().values().stream()
                .sorted(Comparator.comparing(DetectorProvider::family).thenComparing(DetectorProvider::typeId))
                .toList();
    }

    /** The provider of {@code typeId}. */
    public static DetectorProvider provider(String typeId) {
        DetectorProvider p = registry().get(typeId);
        if (p == null) {
            throw new InvalidConfigException("method", "unknown detector '" + typeId + "'; known: "
                    + String.join(", ", registry().keySet()));
        }
        return p;
    }

    /** A validated configuration of detector {@code typeId} from string parameters. */
    public static DetectorConfig<?> configure(String typeId, Map<String, String> parameters) {
        return provider(typeId).configure(parameters);
    }

    /**
     * Loads a saved detector of any registered type.
     *
     * @throws org.anomaly4j.io.ModelFormatException (an {@link IOException}) when the file is
     *         truncated, corrupted, of an unknown format version or of an unregistered type
     */
    public static Detector load(Path file) throws IOException {
        ModelArchive archive = ModelArchive.read(file);
        DetectorProvider p = registry().get(archive.typeId());
        if (p == null) {
            throw new UnknownDetectorTypeException(file, archive.typeId(), registry().keySet());
        }
        return p.load(archive);
    }

    /** Loads a saved detector that must be of class {@code type}. */
    public static <T extends Detector> T load(Path file, Class<T> type) throws IOException {
        Detector d = load(file);
        if (!type.isInstance(d)) {
            String actual = d.typeId();
            d.close();
            throw new DetectorTypeMismatchException(file, type.getSimpleName(), actual);
        }
        return type.cast(d);
    }

    private static Map<String, DetectorProvider> registry() {
        Map<String, DetectorProvider> m = new LinkedHashMap<>();
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        for (DetectorProvider p : ServiceLoader.load(DetectorProvider.class,
                cl != null ? cl : Detectors.class.getClassLoader())) {
            m.putIfAbsent(p.typeId(), p);
        }
        return m;
    }
}
