package org.anomaly4j.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.anomaly4j.io.ModelArchive;

/**
 * The shared skeleton of a detector: preprocessing on the way in, the map back at the input
 * resolution on the way out, calibration, provenance, idempotent close and the common part of
 * {@link #save}. A detector supplies {@link #scoreModelInput} (an image already at model shape)
 * and {@link #writeTensors}.
 *
 * @param <C> its configuration type
 */
public abstract class BaseDetector<C extends DetectorConfig<?>> implements Detector {
    private final C config;
    private final Preprocessing preprocessing;
    private final Provenance provenance;
    private volatile Calibration calibration;
    private final AtomicBoolean closed = new AtomicBoolean();

    protected BaseDetector(C config, Preprocessing preprocessing, Provenance provenance, Calibration calibration) {
        this.config = Objects.requireNonNull(config, "config");
        this.preprocessing = Objects.requireNonNull(preprocessing, "preprocessing");
        this.provenance = Objects.requireNonNull(provenance, "provenance");
        this.calibration = calibration;
    }

    /** The raw score and, for detectors that localise, a map at model resolution. */
    public record ModelScore(double score, float[] map) {
    }

    /** Scores one preprocessed image (model shape). Must be thread-safe. */
    protected abstract ModelScore scoreModelInput(AnomalyImage modelInput);

    /** Adds this detector's tensors to the archive being written. */
    protected abstract void writeTensors(ModelArchive.Builder archive);

    /** Releases native resources; called once. */
    protected abstract void release();

    @Override
    public final String typeId() {
        return config.typeId();
    }

    @Override
    public final C config() {
        return config;
    }

    /** How inputs are brought to the model's shape. */
    public final Preprocessing preprocessing() {
        return preprocessing;
    }

    @Override
    public final ImageScore score(AnomalyImage image) {
        Objects.requireNonNull(image, "image");
        ensureOpen();
        ModelScore s = scoreModelInput(preprocessing.apply(image));
        if (!Double.isFinite(s.score())) {
            throw new IllegalStateException(typeId() + " produced a non-finite score " + s.score() + " for " + image);
        }
        PixelMap map = null;
        if (s.map() != null) {
            PixelMap model = PixelMap.of(preprocessing.outputWidth(), preprocessing.outputHeight(), s.map());
            map = preprocessing.mapToInput(model, image.width(), image.height());
        }
        ImageScore out = new ImageScore(s.score(), map);
        Calibration c = calibration;
        return c == null ? out : c.apply(out);
    }

    @Override
    public final Provenance provenance() {
        return provenance;
    }

    @Override
    public final Optional<Calibration> calibration() {
        return Optional.ofNullable(calibration);
    }

    @Override
    public final void calibrate(Calibration c) {
        this.calibration = Objects.requireNonNull(c, "calibration");
    }

    @Override
    public final void save(Path file) throws IOException {
        ensureOpen();
        ModelArchive.Builder b = ModelArchive.builder(typeId()).config(config.toParameters())
                .preprocessing(preprocessing).calibration(calibration).provenance(provenance);
        writeTensors(b);
        b.writeTo(file);
    }

    /** Throws when closed. */
    protected final void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException(typeId() + " detector is closed");
        }
    }

    @Override
    public final void close() {
        if (closed.compareAndSet(false, true)) {
            release();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + config.toParameters();
    }
}
