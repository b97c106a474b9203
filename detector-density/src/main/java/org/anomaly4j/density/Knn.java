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
 * k-nearest-neighbour distance: the score of an image is the mean (or the largest) Euclidean distance
 * from its feature vector to the {@code k} nearest training vectors, as scikit-learn's
 * {@code NearestNeighbors(n_neighbors=k).kneighbors} and PyOD's {@code KNN(method="mean"|"largest")}.
 * The search is exact: blocked float32 matrix products on the tensor device rank the training vectors,
 * and the distances of the best candidates are recomputed in double (see
 * {@link NearestNeighborSearch}), so batch and single-image scores agree.
 *
 * <p>The training features are kept (as a native matrix and a Java copy). Thread-safe.
 */
public final class Knn extends FeatureDetector<KnnConfig> {
    private final NearestNeighborSearch search;

    private Knn(KnnConfig config, FeatureExtractor features, Provenance provenance, Calibration calibration,
            NearestNeighborSearch search) {
        super(config, features, provenance, calibration);
        this.search = search;
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
            NearestNeighborSearch s = NearestNeighborSearch.of(f.rows(), f.n(), f.d());
            Map<String, String> notes = new LinkedHashMap<>();
            notes.put("features_fitted", f.extractor().spec().toString());
            Provenance prov = Provenance.capture(config.seed(), normals, notes);
            return new Knn(config, f.extractor(), prov, null, s);
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
            NearestNeighborSearch s = NearestNeighborSearch.of(a.tensor("knn.train").values(), (int) shape[0], d);
            return new Knn(config, fx, a.provenance(), a.calibration().orElse(null), s);
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
    double[] scoreFeatures(float[] rows, int n) {
        int k = config().k();
        double[] dist = search.kNearest(rows, n, k);
        double[] out = new double[n];
        boolean max = config().aggregation().equals("max");
        for (int i = 0; i < n; i++) {
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
        b.tensor("knn.train", new long[] {search.size(), search.dimension()}, search.trainRows().clone());
    }

    @Override
    int modelTensorCount() {
        return search.liveTensorCount();
    }

    @Override
    void releaseModel() {
        search.close();
    }
}
