package org.anomaly4j.density;

import org.anomaly4j.mixture.GaussianMixture;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
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
 * A Gaussian mixture of the normal images' feature vectors, fitted by EM as scikit-learn's
 * {@code GaussianMixture} (see {@link GaussianMixture} for the exact algorithm and where it departs;
 * the k-means initialisation makes scikit-learn's random draws, so the same features and seed start
 * from scikit-learn's clusters). The score is the negative log-likelihood
 * {@code -log sum_k w_k N(x; mu_k, Sigma_k)}. With {@code components=bic} the number of components is
 * the one in {@code 1..max_components} with the lowest Bayesian information criterion on the training
 * features (every candidate is fitted; the BIC values are kept in the provenance notes).
 *
 * <p>Scoring is plain Java in double precision from float32-rounded parameters (what the archive
 * stores), thread-safe, without native memory.
 */
public final class Gmm extends FeatureDetector<GmmConfig> {
    private final GaussianMixture mixture;

    private Gmm(GmmConfig config, FeatureExtractor features, Provenance provenance, Calibration calibration,
            GaussianMixture mixture) {
        super(config, features, provenance, calibration);
        this.mixture = mixture;
    }

    /** Fits on normal images. */
    public static Gmm fit(ImageSet normals, GmmConfig config) {
        return fit(normals, config, ProgressListener.NONE);
    }

    /** Fits on normal images, reporting progress. */
    public static Gmm fit(ImageSet normals, GmmConfig config, ProgressListener listener) {
        checkNormals(normals, GmmConfig.TYPE);
        if (normals.size() < 2) {
            throw new InvalidConfigException("components", "a mixture needs at least 2 training images, got "
                    + normals.size());
        }
        if (config.components() > normals.size()) {
            throw new InvalidConfigException("components", config.components() + " components need at least as many"
                    + " training images; got " + normals.size());
        }
        Fitted f = fitFeatures(config.features(), normals, config.seed(), listener);
        try {
            Map<String, String> notes = new LinkedHashMap<>();
            GaussianMixture best;
            if (!config.selectsByBic()) {
                best = fitOne(f, config, config.components(), listener);
            } else {
                best = null;
                double bestBic = Double.POSITIVE_INFINITY;
                StringBuilder bics = new StringBuilder();
                int max = Math.min(config.maxComponents(), f.n());
                String lastError = null;
                for (int k = 1; k <= max; k++) {
                    GaussianMixture m;
                    try {
                        m = fitOne(f, config, k, ProgressListener.NONE);
                    } catch (InvalidConfigException e) {
                        lastError = e.getMessage();
                        bics.append(bics.length() == 0 ? "" : ",").append(k).append(":failed");
                        continue;
                    }
                    double bic = m.bic(f.rows(), f.n());
                    bics.append(bics.length() == 0 ? "" : ",").append(k).append(':')
                            .append(String.format(Locale.ROOT, "%.6g", bic));
                    if (bic < bestBic) {
                        bestBic = bic;
                        best = m;
                    }
                    listener.progress("bic", k, max);
                }
                if (best == null) {
                    throw new InvalidConfigException("reg_covar", "no number of components could be fitted: "
                            + lastError);
                }
                notes.put("bic", bics.toString());
            }
            notes.put("components", Integer.toString(best.components()));
            notes.put("converged", Boolean.toString(best.converged()));
            notes.put("n_iter", Integer.toString(best.iterations()));
            notes.put("lower_bound", Double.toString(best.lowerBound()));
            notes.put("features_fitted", f.extractor().spec().toString());
            Provenance prov = Provenance.capture(config.seed(), normals, notes);
            return new Gmm(config, f.extractor(), prov, null, best);
        } catch (RuntimeException e) {
            f.extractor().close();
            throw e;
        }
    }

    private static GaussianMixture fitOne(Fitted f, GmmConfig config, int k, ProgressListener listener) {
        try {
            return GaussianMixture.fit(f.rows(), f.n(), f.d(), config.settings(k), listener);
        } catch (IllegalStateException e) {
            throw new InvalidConfigException("reg_covar", e.getMessage());
        }
    }

    /** Loads a saved detector of this type. */
    public static Gmm load(Path file) throws IOException {
        return Detectors.load(file, Gmm.class);
    }

    static Gmm restore(ModelArchive a) throws IOException {
        GmmConfig config;
        try {
            config = GmmConfig.fromParameters(a.config());
        } catch (IllegalArgumentException e) {
            throw new CorruptModelException(a.file(), "invalid config: " + e.getMessage(), e);
        }
        FeatureExtractor fx = restoreFeatures(config.features(), a);
        try {
            int d = fx.dimension();
            float[] w = a.tensor("gmm.weights").values();
            int k = w.length;
            GaussianMixture.CovarianceType type = GaussianMixture.CovarianceType.parse(config.covarianceType());
            long per = type == GaussianMixture.CovarianceType.TIED ? (long) d * d : (long) type.precisionSize(d) * k;
            GaussianMixture m;
            try {
                m = GaussianMixture.of(type, d, w, tensor(a, "gmm.means", (long) k * d),
                        tensor(a, "gmm.precisions_cholesky", per));
            } catch (IllegalArgumentException e) {
                throw new CorruptModelException(a.file(), e.getMessage(), e);
            }
            return new Gmm(config, fx, a.provenance(), a.calibration().orElse(null), m);
        } catch (IOException | RuntimeException e) {
            fx.close();
            throw e;
        }
    }

    @Override
    double scoreFeatures(float[] row) {
        return -mixture.logLikelihood(row);
    }

    @Override
    double[] scoreFeatures(float[] rows, int n) {
        double[] ll = mixture.logLikelihoods(rows, n);
        for (int i = 0; i < n; i++) {
            ll[i] = -ll[i];
        }
        return ll;
    }

    @Override
    void writeModel(ModelArchive.Builder b) {
        int k = mixture.components();
        int d = mixture.dimension();
        b.tensor("gmm.weights", new long[] {k}, mixture.weights());
        b.tensor("gmm.means", new long[] {k, d}, mixture.means());
        long[] shape = switch (mixture.type()) {
            case FULL -> new long[] {k, d, d};
            case TIED -> new long[] {d, d};
            case DIAG -> new long[] {k, d};
            case SPHERICAL -> new long[] {k};
        };
        b.tensor("gmm.precisions_cholesky", shape, mixture.precisionsCholesky());
    }

    /** Number of mixture components (the BIC choice when {@code components=bic}). */
    public int components() {
        return mixture.components();
    }

    /** Mixture weights. */
    public float[] weights() {
        return mixture.weights();
    }

    /** Component means, row-major {@code components x dimension}. */
    public float[] means() {
        return mixture.means();
    }

    /** Mean log-likelihood of the training features at the end of EM (NaN for a loaded detector). */
    public double trainingLogLikelihood() {
        return mixture.lowerBound();
    }

    /** Whether EM converged within {@code max_iter} (true for a loaded detector). */
    public boolean converged() {
        return mixture.converged();
    }
}
