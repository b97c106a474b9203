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
import org.anomaly4j.tensor.GaussianModel;
import org.anomaly4j.tensor.Pca;

/**
 * One multivariate Gaussian of the normal images' feature vectors; the score is the squared
 * Mahalanobis distance to it (scikit-learn's {@code EmpiricalCovariance.mahalanobis}, with Ledoit–Wolf
 * or fixed shrinkage of the covariance). With {@code pca} the features are first projected on their
 * principal components (fitted inside the detector), as DFM does, and {@code reconstruction_weight}
 * {@code w} adds the reconstruction error: {@code score = d_M(z)^2 + w |x - x_hat|^2 / sigma^2}, where
 * {@code sigma^2} is the training residual's mean variance per discarded dimension; {@code w = 1} is,
 * up to a constant, {@code -2 log} of a probabilistic-PCA likelihood.
 *
 * <p>Parameters are rounded to float32 after fitting (what the archive stores), so a loaded detector
 * scores exactly as the fitted one. Scoring is plain Java, thread-safe, and holds no native memory.
 */
public final class Mahalanobis extends FeatureDetector<MahalanobisConfig> {
    private final Pca pca; // null: none
    private final GaussianModel gaussian;
    private final double residualVariance; // NaN without pca or without discarded dimensions

    private Mahalanobis(MahalanobisConfig config, FeatureExtractor features, Provenance provenance,
            Calibration calibration, Pca pca, GaussianModel gaussian, double residualVariance) {
        super(config, features, provenance, calibration);
        this.pca = pca;
        this.gaussian = gaussian;
        this.residualVariance = residualVariance;
    }

    /** Fits on normal images. */
    public static Mahalanobis fit(ImageSet normals, MahalanobisConfig config) {
        return fit(normals, config, ProgressListener.NONE);
    }

    /** Fits on normal images, reporting progress. */
    public static Mahalanobis fit(ImageSet normals, MahalanobisConfig config, ProgressListener listener) {
        checkNormals(normals, MahalanobisConfig.TYPE);
        if (normals.size() < 2) {
            throw new InvalidConfigException("features", "a Gaussian needs at least 2 training images, got "
                    + normals.size());
        }
        Fitted f = fitFeatures(config.features(), normals, config.seed(), listener);
        try {
            int n = f.n();
            int d = f.d();
            float[] z = f.rows();
            int k = d;
            Pca p = null;
            double resVar = Double.NaN;
            Map<String, String> notes = new LinkedHashMap<>();
            if (!config.pca().equals("none")) {
                listener.progress("pca", 0, 1);
                Pca fitted;
                try {
                    if (config.pca().contains(".")) {
                        fitted = Pca.fitVariance(f.rows(), n, d, Double.parseDouble(config.pca()), false);
                    } else {
                        int want = Integer.parseInt(config.pca());
                        if (want > Math.min(n, d)) {
                            throw new InvalidConfigException("pca", want + " components need at least " + want
                                    + " training images and feature dimensions; got " + n + " images of " + d);
                        }
                        fitted = Pca.fit(f.rows(), n, d, want, false);
                    }
                } catch (InvalidConfigException e) {
                    throw e;
                } catch (IllegalArgumentException e) {
                    throw new InvalidConfigException("pca", e.getMessage());
                }
                p = Pca.of(DenseMath.roundToFloat(fitted.mean()), DenseMath.roundToFloat(fitted.componentMatrix()),
                        DenseMath.roundToFloat(fitted.explainedVariance()), (float) fitted.totalVariance(), false);
                k = p.components();
                z = p.transform(f.rows(), n);
                if (k < d) {
                    float[] back = p.inverseTransform(z, n);
                    double sum = 0;
                    for (int i = 0; i < back.length; i++) {
                        double r = (double) f.rows()[i] - back[i];
                        sum += r * r;
                    }
                    resVar = (float) (sum / ((double) n * (d - k)));
                    if (!(resVar > 0)) {
                        resVar = Double.NaN;
                    }
                }
                notes.put("pca_components", Integer.toString(k));
                notes.put("residual_variance", Double.toString(resVar));
                listener.progress("pca", 1, 1);
            }
            if (config.reconstructionWeight() > 0 && Double.isNaN(resVar)) {
                throw new InvalidConfigException("reconstruction_weight", "the PCA keeps every dimension of the "
                        + "features (or they reconstruct exactly): there is no reconstruction error to weigh");
            }
            GaussianModel g0;
            try {
                g0 = GaussianModel.fit(z, n, k, config.estimator());
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException("shrinkage", e.getMessage());
            }
            GaussianModel g = GaussianModel.of(DenseMath.roundToFloat(g0.mean()),
                    DenseMath.roundToFloat(g0.covariance()));
            notes.put("shrinkage", Double.toString(g0.shrinkage()));
            notes.put("jitter", Double.toString(g.jitter()));
            notes.put("feature_dimension", Integer.toString(d));
            notes.put("features_fitted", f.extractor().spec().toString());
            Provenance prov = Provenance.capture(config.seed(), normals, notes);
            return new Mahalanobis(config, f.extractor(), prov, null, p, g, resVar);
        } catch (RuntimeException e) {
            f.extractor().close();
            throw e;
        }
    }

    /** Loads a saved detector of this type. */
    public static Mahalanobis load(Path file) throws IOException {
        return Detectors.load(file, Mahalanobis.class);
    }

    static Mahalanobis restore(ModelArchive a) throws IOException {
        MahalanobisConfig config;
        try {
            config = MahalanobisConfig.fromParameters(a.config());
        } catch (IllegalArgumentException e) {
            throw new CorruptModelException(a.file(), "invalid config: " + e.getMessage(), e);
        }
        FeatureExtractor fx = restoreFeatures(config.features(), a);
        try {
            int d = fx.dimension();
            Pca p = null;
            int k = d;
            double resVar = Double.NaN;
            if (a.tensorNames().contains("pca.components")) {
                long[] shape = a.tensor("pca.components").shape();
                if (shape.length != 2 || shape[1] != d) {
                    throw new CorruptModelException(a.file(), "pca.components must be [k, " + d + "]");
                }
                k = (int) shape[0];
                p = Pca.of(DenseMath.toDoubles(tensor(a, "pca.mean", d)),
                        DenseMath.toDoubles(tensor(a, "pca.components", (long) k * d)),
                        DenseMath.toDoubles(tensor(a, "pca.variance", k)), tensor(a, "pca.total", 1)[0], false);
                resVar = tensor(a, "residual_variance", 1)[0];
            }
            GaussianModel g = GaussianModel.of(DenseMath.toDoubles(tensor(a, "gaussian.mean", k)),
                    DenseMath.toDoubles(tensor(a, "gaussian.covariance", (long) k * k)));
            return new Mahalanobis(config, fx, a.provenance(), a.calibration().orElse(null), p, g, resVar);
        } catch (IOException | RuntimeException e) {
            fx.close();
            throw e;
        }
    }

    @Override
    double scoreFeatures(float[] row) {
        if (pca == null) {
            return gaussian.squaredMahalanobis(row);
        }
        float[] z = pca.transform(row, 1);
        double s = gaussian.squaredMahalanobis(z);
        double w = config().reconstructionWeight();
        if (w > 0) {
            float[] back = pca.inverseTransform(z, 1);
            double r2 = 0;
            for (int i = 0; i < row.length; i++) {
                double r = (double) row[i] - back[i];
                r2 += r * r;
            }
            s += w * r2 / residualVariance;
        }
        return s;
    }

    @Override
    void writeModel(ModelArchive.Builder b) {
        int k = gaussian.dimension();
        b.tensor("gaussian.mean", new long[] {k}, DenseMath.toFloats(gaussian.mean()));
        b.tensor("gaussian.covariance", new long[] {k, k}, DenseMath.toFloats(gaussian.covariance()));
        if (pca != null) {
            int d = pca.dimension();
            b.tensor("pca.mean", new long[] {d}, DenseMath.toFloats(pca.mean()));
            b.tensor("pca.components", new long[] {k, d}, DenseMath.toFloats(pca.componentMatrix()));
            b.tensor("pca.variance", new long[] {k}, DenseMath.toFloats(pca.explainedVariance()));
            b.tensor("pca.total", new long[] {1}, new float[] {(float) pca.totalVariance()});
            b.tensor("residual_variance", new long[] {1}, new float[] {(float) residualVariance});
        }
    }

    /** The fitted Gaussian (on the PCA projections when {@code pca} is set). */
    public GaussianModel gaussian() {
        return gaussian;
    }
}
