package org.anomaly4j.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A fitted anomaly detector. There is no unfitted state: a detector comes from
 * {@link DetectorConfig#fit} or {@link Detectors#load}.
 *
 * <p>Scoring is thread-safe. Detectors own native memory: close them (twice is harmless).
 */
public interface Detector extends AutoCloseable {

    /** The registry id of this detector type, e.g. {@code "pixel-gaussian"}. */
    String typeId();

    /** The configuration this detector was fitted with. */
    DetectorConfig<?> config();

    /** Whether {@link ImageScore#map()} is present on this detector's scores. */
    boolean producesMaps();

    /**
     * Scores one image. Any size and channel count is accepted: the detector's saved preprocessing
     * brings it to the model's shape, and the map comes back at the input's resolution.
     */
    ImageScore score(AnomalyImage image);

    /** Scores several images in order. */
    default List<ImageScore> scoreAll(List<AnomalyImage> images) {
        return scoreAll(images, ProgressListener.NONE);
    }

    /** Scores several images in order, reporting progress as stage {@code "score"}. */
    default List<ImageScore> scoreAll(List<AnomalyImage> images, ProgressListener listener) {
        List<ImageScore> out = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            out.add(score(images.get(i)));
            listener.progress("score", i + 1, images.size());
        }
        return out;
    }

    /** Who made this detector, from what, with what: saved and loaded with it. */
    Provenance provenance();

    /** The calibration in force, if any. */
    Optional<Calibration> calibration();

    /** Sets (or replaces) the calibration; scores then carry a normalised value. Thread-safe. */
    void calibrate(Calibration calibration);

    /** Writes the detector to one file (see {@link org.anomaly4j.io.ModelArchive} for the format). */
    void save(Path file) throws IOException;

    /** Releases native memory. Idempotent; scoring after close throws {@link IllegalStateException}. */
    @Override
    void close();
}
