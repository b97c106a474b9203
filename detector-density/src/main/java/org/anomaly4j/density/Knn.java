package org.anomaly4j.density;

import org.anomaly4j.mixture.DenseMath;

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
import org.anomaly4j.tensor.NearestNeighbors;

/**
 * k-nearest-neighbour distance: the score of an image is the mean (or the largest) Euclidean distance
 * from its feature vector to the {@code k} nearest training vectors, as scikit-learn's
 * {@code NearestNeighbors(n_neighbors=k).kneighbors} and PyOD's {@code KNN(method="mean"|"largest")}.
 * The search is {@link NearestNeighbors}': exact (float32 matrix products on the tensor device rank the
 * training vectors, candidates are recomputed in double and a rigorous bound on the float32 error
 * decides when a query must be searched exactly), so batch and single-image scores agree.
 *
 * <p>The training features are kept on the Java heap (the search uploads them per call, in bounded
 * chunks): no native memory between calls. Thread-safe.
 */
public final class Knn extends FeatureDetector<KnnConfig> {
    private final float[] train; // n x d, not modified
    private final int n;
    private final NearestNeighbors search;

    private Knn(KnnConfig config, FeatureExtractor features, Provenance provenance, Calibration calibration,
            float[] train, int n, int d) {
        super(config, features, provenance, calibration);
        DenseMath.checkRows(train, n, d, 1);
        this.train = train;
        this.n = n;
        this.search = NearestNeighbors.builder(train, n, d).build();
    }

    /** Fits on normal images. */
    public static Knn fit(ImageSet normals, KnnConfig config) {
        return fit(normals, config, ProgressListener.NONE);
    }

    /** Fits on normal images, reporting progress. */
    public static Knn fit(ImageSet normals, KnnConfig config, ProgressListener listener) {
        checkNormals(normals, KnnConfig.TYPE);
        if (config.k() > normals.size()) {
            throw new InvalidConfigException("k", "k = " + config.k() + " exceeds the " + normals.size()
                    + " training images");
        }
        Fitted f = fitFeatures(config.features(), normals, config.seed(), listener);
        try {
            Map<String, String> notes = new LinkedHashMap<>();
            notes.put("features_fitted", f.extractor().spec().toString());
            Provenance prov = Provenance.capture(config.seed(), normals, notes);
            return new Knn(config, f.extractor(), prov, null, f.rows(), f.n(), f.d());
        } catch (RuntimeException e) {
            f.extractor().close();
            throw e;
        }
    }

    /** Loads a saved detector of this type. */
    public static Knn load(Path file) throws IOException {
        return Detectors.load(file, Knn.class);
    }

    static Knn restore(ModelArchive a) throws IOException {
        KnnConfig config;
        try {
            config = KnnConfig.fromParameters(a.config());
        } catch (IllegalArgumentException e) {
            throw new CorruptModelException(a.file(), "invalid config: " + e.getMessage(), e);
        }
        FeatureExtractor fx = restoreFeatures(config.features(), a);
        try {
            int d = fx.dimension();
            long[] shape = a.tensor("knn.train").shape();
            if (shape.length != 2 || shape[1] != d || shape[0] < config.k()) {
                throw new CorruptModelException(a.file(), "knn.train must be [n >= k, " + d + "], got "
                        + java.util.Arrays.toString(shape));
            }
            try {
                return new Knn(config, fx, a.provenance(), a.calibration().orElse(null),
                        a.tensor("knn.train").values(), (int) shape[0], d);
            } catch (IllegalArgumentException e) {
                throw new CorruptModelException(a.file(), "knn.train: " + e.getMessage(), e);
            }
        } catch (IOException | RuntimeException e) {
            fx.close();
            throw e;
        }
    }

    @Override
    double scoreFeatures(float[] row) {
        return scoreFeatures(row, 1)[0];
    }

    @Override
    double[] scoreFeatures(float[] rows, int m) {
        int k = config().k();
        float[] dist = search.search(rows, m, k).distances();
        double[] out = new double[m];
        boolean max = config().aggregation().equals("max");
        for (int i = 0; i < m; i++) {
            if (max) {
                out[i] = dist[i * k + k - 1];
            } else {
                double s = 0;
                for (int j = 0; j < k; j++) {
                    s += dist[i * k + j];
                }
                out[i] = s / k;
            }
        }
        return out;
    }

    @Override
    void writeModel(ModelArchive.Builder b) {
        b.tensor("knn.train", new long[] {n, search.dim()}, train.clone());
    }
}
