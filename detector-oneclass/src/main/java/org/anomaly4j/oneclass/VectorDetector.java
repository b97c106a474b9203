package org.anomaly4j.oneclass;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.Calibration;
import org.anomaly4j.api.Detector;
import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.ImageScore;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidImageException;
import org.anomaly4j.api.LabeledImage;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.api.Provenance;
import org.anomaly4j.features.FeatureExtractor;
import org.anomaly4j.features.FeatureSpec;
import org.anomaly4j.io.CorruptModelException;
import org.anomaly4j.io.ModelArchive;
import org.anomaly4j.tensor.NativeResourceOwner;

/**
 * The skeleton of a detector on feature vectors: a fitted {@link FeatureExtractor} (which does its
 * own preprocessing, so there is no separate {@code Preprocessing}) followed by a model that scores
 * rows of features. {@link #scoreAll} extracts and scores in batches (one matrix product per batch);
 * a row's score never depends on its batch, so {@code score} and {@code scoreAll} agree exactly.
 * Calibration, provenance, saving (the extractor under the tensor prefix {@value #FEATURES_PREFIX})
 * and idempotent close are handled here.
 *
 * @param <C> the configuration type
 */
abstract class VectorDetector<C extends DetectorConfig<?>> implements Detector, NativeResourceOwner {
    /** Tensor-name prefix of the feature extractor's state in a saved detector. */
    static final String FEATURES_PREFIX = "features.";
    private static final int SCORE_CHUNK = 2048;

    private final C config;
    private final FeatureExtractor features;
    private final Provenance provenance;
    private volatile Calibration calibration;
    private final AtomicBoolean closed = new AtomicBoolean();

    VectorDetector(C config, FeatureExtractor features, Provenance provenance, Calibration calibration) {
        this.config = Objects.requireNonNull(config, "config");
        this.features = Objects.requireNonNull(features, "features");
        this.provenance = Objects.requireNonNull(provenance, "provenance");
        this.calibration = calibration;
    }

    /** The training set's feature rows, with the fitted extractor. */
    record Training(FeatureExtractor extractor, float[] rows, int n, int d) {
    }

    /**
     * Checks the training set (non-empty, normals only), fits the feature extractor of
     * {@code featureSpec} and extracts the training rows.
     */
    static Training extract(String type, ImageSet normals, String featureSpec, long seed, ProgressListener listener) {
        Objects.requireNonNull(normals, "normals");
        ProgressListener l = listener == null ? ProgressListener.NONE : listener;
        if (normals.isEmpty()) {
            throw new InvalidImageException(type + " needs at least one normal training image");
        }
        for (LabeledImage li : normals) {
            if (li.isAnomalous()) {
                throw new InvalidImageException("training image " + li.id() + " is labelled anomalous: fit on normals");
            }
        }
        FeatureExtractor fx = FeatureSpec.parse(featureSpec).fit(normals, seed, l);
        try {
            float[] rows = fx.extractAll(normals.images(), l);
            return new Training(fx, rows, normals.size(), fx.dimension());
        } catch (RuntimeException e) {
            fx.close();
            throw e;
        }
    }

    /** Restores the feature extractor saved with a detector. */
    static FeatureExtractor restoreFeatures(String featureSpec, ModelArchive archive) throws CorruptModelException {
        return FeatureSpec.parse(featureSpec).restore(archive, FEATURES_PREFIX);
    }

    /** Scores of {@code n} feature rows, each independent of the others. Thread-safe. */
    abstract double[] scoreRows(float[] rows, int n);

    /** Adds the model's tensors (not the extractor's) to an archive. */
    abstract void writeModel(ModelArchive.Builder archive);

    /** Native arrays the model holds. */
    abstract int modelTensorCount();

    /** Releases the model's native memory; called once. */
    abstract void releaseModel();

    /** The fitted feature extractor. */
    public final FeatureExtractor features() {
        return features;
    }

    @Override
    public final String typeId() {
        return config.typeId();
    }

    @Override
    public final C config() {
        return config;
    }

    @Override
    public final boolean producesMaps() {
        return false;
    }

    @Override
    public final ImageScore score(AnomalyImage image) {
        Objects.requireNonNull(image, "image");
        ensureOpen();
        return finish(scoreRows(features.extract(image), 1)[0], image);
    }

    @Override
    public final List<ImageScore> scoreAll(List<AnomalyImage> images, ProgressListener listener) {
        Objects.requireNonNull(images, "images");
        ProgressListener l = listener == null ? ProgressListener.NONE : listener;
        ensureOpen();
        List<ImageScore> out = new ArrayList<>(images.size());
        for (int from = 0; from < images.size(); from += SCORE_CHUNK) {
            List<AnomalyImage> chunk = images.subList(from, Math.min(images.size(), from + SCORE_CHUNK));
            for (int i = 0; i < chunk.size(); i++) {
                Objects.requireNonNull(chunk.get(i), "image " + (from + i));
            }
            double[] s = scoreRows(features.extractAll(chunk, ProgressListener.NONE), chunk.size());
            for (int i = 0; i < s.length; i++) {
                out.add(finish(s[i], chunk.get(i)));
            }
            l.progress("score", out.size(), images.size());
        }
        return out;
    }

    private ImageScore finish(double score, AnomalyImage image) {
        if (!Double.isFinite(score)) {
            throw new IllegalStateException(typeId() + " produced a non-finite score " + score + " for " + image);
        }
        ImageScore s = new ImageScore(score, null);
        Calibration c = calibration;
        return c == null ? s : c.apply(s);
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
                .calibration(calibration).provenance(provenance);
        features.write(b, FEATURES_PREFIX);
        writeModel(b);
        b.writeTo(file);
    }

    @Override
    public final int liveTensorCount() {
        return modelTensorCount();
    }

    /** Throws when closed. */
    final void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException(typeId() + " detector is closed");
        }
    }

    @Override
    public final void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                features.close();
            } finally {
                releaseModel();
            }
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + config.toParameters();
    }
}
