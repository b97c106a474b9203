package org.anomaly4j.density;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.anomaly4j.api.Calibration;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidConfigException;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.api.Provenance;
import org.anomaly4j.features.FeatureExtractor;
import org.anomaly4j.io.CorruptModelException;
import org.anomaly4j.io.ModelArchive;

/**
 * Gaussian kernel density estimate over the normal images' feature vectors; the score is the negative
 * log-density {@code -log(1/n sum_i N(x; t_i, H))} (scikit-learn's {@code -KernelDensity.score_samples},
 * computed exactly; see {@link KernelDensity} for the bandwidth rules and the blocked computation).
 * The training features are kept: memory and scoring time grow with the training set.
 *
 * <p>Plain Java, thread-safe, no native memory; a loaded detector scores exactly as the fitted one.
 */
public final class Kde extends FeatureDetector<KdeConfig> {
    private final KernelDensity kde;

    private Kde(KdeConfig config, FeatureExtractor features, Provenance provenance, Calibration calibration,
            KernelDensity kde) {
        super(config, features, provenance, calibration);
        this.kde = kde;
    }

    /** Fits on normal images. */
    public static Kde fit(ImageSet normals, KdeConfig config) {
        return fit(normals, config, ProgressListener.NONE);
    }

    /** Fits on normal images, reporting progress. */
    public static Kde fit(ImageSet normals, KdeConfig config, ProgressListener listener) {
        checkNormals(normals, KdeConfig.TYPE);
        if (normals.size() < 2) {
            throw new InvalidConfigException("bandwidth", "a kernel density needs at least 2 training images, got "
                    + normals.size());
        }
        Fitted f = fitFeatures(config.features(), normals, config.seed(), listener);
        try {
            KernelDensity k;
            try {
                k = KernelDensity.fit(f.rows(), f.n(), f.d(), config.parsedBandwidth(), config.seed());
            } catch (InvalidConfigException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException("bandwidth", e.getMessage());
            }
            Map<String, String> notes = new LinkedHashMap<>();
            notes.put("bandwidth", Double.toString(k.bandwidth()));
            notes.put("features_fitted", f.extractor().spec().toString());
            Provenance prov = Provenance.capture(config.seed(), normals, notes);
            return new Kde(config, f.extractor(), prov, null, k);
        } catch (RuntimeException e) {
            f.extractor().close();
            throw e;
        }
    }

    /** Loads a saved detector of this type. */
    public static Kde load(Path file) throws IOException {
        return Detectors.load(file, Kde.class);
    }

    static Kde restore(ModelArchive a) throws IOException {
        KdeConfig config;
        try {
            config = KdeConfig.fromParameters(a.config());
        } catch (IllegalArgumentException e) {
            throw new CorruptModelException(a.file(), "invalid config: " + e.getMessage(), e);
        }
        FeatureExtractor fx = restoreFeatures(config.features(), a);
        try {
            int d = fx.dimension();
            long[] shape = a.tensor("kde.train").shape();
            if (shape.length != 2 || shape[1] != d || shape[0] < 1) {
                throw new CorruptModelException(a.file(), "kde.train must be [n, " + d + "]");
            }
            int n = (int) shape[0];
            boolean whitens = config.parsedBandwidth().rule().whitens();
            KernelDensity k;
            try {
                k = KernelDensity.of(a.tensor("kde.train").values(), n, d, tensor(a, "kde.bandwidth", 1)[0],
                        whitens ? tensor(a, "kde.whitening_mean", d) : null,
                        whitens ? tensor(a, "kde.whitener", (long) d * d) : null);
            } catch (IllegalArgumentException e) {
                throw new CorruptModelException(a.file(), e.getMessage(), e);
            }
            return new Kde(config, fx, a.provenance(), a.calibration().orElse(null), k);
        } catch (IOException | RuntimeException e) {
            fx.close();
            throw e;
        }
    }

    @Override
    double scoreFeatures(float[] row) {
        return -kde.logDensity(row);
    }

    @Override
    double[] scoreFeatures(float[] rows, int n) {
        double[] ld = kde.logDensities(rows, n);
        for (int i = 0; i < n; i++) {
            ld[i] = -ld[i];
        }
        return ld;
    }

    @Override
    void writeModel(ModelArchive.Builder b) {
        int n = kde.size();
        int d = kde.dimension();
        b.tensor("kde.train", new long[] {n, d}, kde.kernelRows());
        b.tensor("kde.bandwidth", new long[] {1}, new float[] {(float) kde.bandwidth()});
        if (kde.whitener() != null) {
            b.tensor("kde.whitening_mean", new long[] {d}, kde.whiteningMean());
            b.tensor("kde.whitener", new long[] {d, d}, kde.whitener());
        }
    }

    /** The bandwidth in kernel space (whitened units for scott and silverman, else feature units). */
    public double bandwidth() {
        return kde.bandwidth();
    }
}
