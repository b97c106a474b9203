package org.anomaly4j.density;

import org.anomaly4j.mixture.DenseMath;

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
 * The skeleton of an image-level detector on feature vectors: a fitted {@link FeatureExtractor} (the
 * {@code features} parameter, saved under the tensor prefix {@value #FEATURES_PREFIX}) turns an image
 * into a vector, and a numeric model scores the vector. No pixel maps.
 *
 * <p>Unlike {@link org.anomaly4j.api.BaseDetector} there is no detector-level {@link
 * org.anomaly4j.api.Preprocessing}: the extractor owns resizing and channel conversion (it is saved with
 * the detector, so training and scoring cannot disagree). {@link #scoreAll} extracts features in batches
 * and scores the rows in parallel; {@link #score} computes exactly the same value for one image.
 *
 * @param <C> the configuration type
 */
public abstract class FeatureDetector<C extends DetectorConfig<?>> implements Detector, NativeResourceOwner {
    /** Prefix of the feature extractor's tensors in a saved detector. */
    public static final String FEATURES_PREFIX = "features.";

    private final C config;
    private final FeatureExtractor features;
    private final Provenance provenance;
    private volatile Calibration calibration;
    private final AtomicBoolean closed = new AtomicBoolean();

    FeatureDetector(C config, FeatureExtractor features, Provenance provenance, Calibration calibration) {
        this.config = Objects.requireNonNull(config, "config");
        this.features = Objects.requireNonNull(features, "features");
        this.provenance = Objects.requireNonNull(provenance, "provenance");
        this.calibration = calibration;
    }

    /** Scores one feature vector (higher = more anomalous). Thread-safe. */
    abstract double scoreFeatures(float[] row);

    /**
     * Scores {@code n} row-major feature vectors; must equal {@link #scoreFeatures(float[])} row by row,
     * bit for bit. The default runs that in parallel.
     */
    double[] scoreFeatures(float[] rows, int n) {
        int d = features.dimension();
        double[] out = new double[n];
        DenseMath.parallelRanges(n, 64, (from, to) -> {
            float[] row = new float[d];
            for (int i = from; i < to; i++) {
                System.arraycopy(rows, i * d, row, 0, d);
                out[i] = scoreFeatures(row);
            }
        });
        return out;
    }

    /** Adds the model's tensors to an archive being written. */
    abstract void writeModel(ModelArchive.Builder archive);

    /** Native arrays held by the model itself (0 for plain-Java models). */
    int modelTensorCount() {
        return 0;
    }

    /** Releases the model's native resources, if any; called once. */
    void releaseModel() {
    }

    @Override
    public final String typeId() {
        return config.typeId();
    }

    @Override
    public final C config() {
        return config;
    }

    /** The fitted feature extractor (its {@code spec()} has every data-dependent default resolved). */
    public final FeatureExtractor features() {
        return features;
    }

    @Override
    public final boolean producesMaps() {
        return false;
    }

    @Override
    public final ImageScore score(AnomalyImage image) {
        Objects.requireNonNull(image, "image");
        ensureOpen();
        return finish(scoreFeatures(features.extract(image)), image);
    }

    @Override
    public final List<ImageScore> scoreAll(List<AnomalyImage> images, ProgressListener listener) {
        Objects.requireNonNull(images, "images");
        ensureOpen();
        ProgressListener l = listener == null ? ProgressListener.NONE : listener;
        if (images.isEmpty()) {
            return List.of();
        }
        float[] rows = features.extractAll(images, l);
        double[] s = scoreFeatures(rows, images.size());
        List<ImageScore> out = new ArrayList<>(images.size());
        for (int i = 0; i < s.length; i++) {
            out.add(finish(s[i], images.get(i)));
        }
        l.progress("score", images.size(), images.size());
        return out;
    }

    private ImageScore finish(double score, AnomalyImage image) {
        if (!Double.isFinite(score)) {
            throw new IllegalStateException(typeId() + " produced a non-finite score " + score + " for " + image);
        }
        ImageScore out = new ImageScore(score, null);
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
        ModelArchive.Builder b = ModelArchive.builder(typeId()).config(config.toParameters()).calibration(calibration)
                .provenance(provenance);
        features.write(b, FEATURES_PREFIX);
        writeModel(b);
        b.writeTo(file);
    }

    @Override
    public final int liveTensorCount() {
        int f = features instanceof NativeResourceOwner o ? o.liveTensorCount() : 0;
        return f + modelTensorCount();
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
                releaseModel();
            } finally {
                features.close();
            }
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + config.toParameters();
    }

    // ------------------------------------------------------------------ helpers for the subclasses

    /** Rejects an empty training set and anomalous training images. */
    static void checkNormals(ImageSet normals, String typeId) {
        Objects.requireNonNull(normals, "normals");
        if (normals.isEmpty()) {
            throw new InvalidImageException(typeId + " needs at least one normal training image");
        }
        for (LabeledImage li : normals) {
            if (li.isAnomalous()) {
                throw new InvalidImageException("training image " + li.id() + " is labelled anomalous: fit on normals");
            }
        }
    }

    /** Training features: the fitted extractor and the rows of every training image. */
    record Fitted(FeatureExtractor extractor, float[] rows, int n, int d) {
    }

    /** Fits the feature extractor of {@code spec} and extracts the training rows (closing it on failure). */
    static Fitted fitFeatures(String spec, ImageSet normals, long seed, ProgressListener listener) {
        FeatureExtractor fx = FeatureSpec.parse(spec).fit(normals, seed, listener);
        try {
            List<AnomalyImage> images = normals.images();
            float[] rows = fx.extractAll(images, listener);
            return new Fitted(fx, rows, images.size(), fx.dimension());
        } catch (RuntimeException e) {
            fx.close();
            throw e;
        }
    }

    /** Restores the feature extractor saved under {@link #FEATURES_PREFIX}. */
    static FeatureExtractor restoreFeatures(String spec, ModelArchive archive) throws CorruptModelException {
        try {
            return FeatureSpec.parse(spec).restore(archive, FEATURES_PREFIX);
        } catch (IllegalArgumentException e) {
            throw new CorruptModelException(archive.file(), "cannot restore features '" + spec + "': "
                    + e.getMessage(), e);
        }
    }

    /** The archive's tensor {@code name}, checked to hold {@code count} values. */
    static float[] tensor(ModelArchive a, String name, long count) throws CorruptModelException {
        float[] v = a.tensor(name).values();
        if (v.length != count) {
            throw new CorruptModelException(a.file(), "tensor '" + name + "' has " + v.length + " values, expected "
                    + count);
        }
        return v;
    }
}
