package org.anomaly4j.density;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidConfigException;
import org.anomaly4j.api.ParamSpec;
import org.anomaly4j.api.Params;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.tensor.CovarianceEstimator;

/**
 * Configuration of {@link Mahalanobis}.
 *
 * @param features             feature spec (see {@link org.anomaly4j.features.FeatureSpec}), canonical form
 * @param pca                  {@code none}, a component count, or a variance fraction in (0,1): a PCA of the
 *                             features fitted inside the detector before the Gaussian (DFM-style); canonical
 * @param shrinkage            {@code ledoit_wolf} or a fixed shrinkage in [0,1] towards {@code mu*I}
 * @param reconstructionWeight weight of the PCA reconstruction error in the score (0 = pure Mahalanobis;
 *                             1 = probabilistic-PCA-like negative log-likelihood); needs a pca
 * @param seed                 recorded in provenance (also the feature extractor's seed)
 */
public record MahalanobisConfig(String features, String pca, String shrinkage, double reconstructionWeight, long seed)
        implements DetectorConfig<Mahalanobis> {

    /** The registry id. */
    public static final String TYPE = "gaussian";
    /** The Ledoit–Wolf value of {@code shrinkage}. */
    public static final String LEDOIT_WOLF = "ledoit_wolf";

    static final List<ParamSpec> SPECS = List.of(
            new ParamSpec("features", "feature spec", ConfigSupport.DEFAULT_FEATURES,
                    "image features, e.g. pixels, pixels:size=32,pca=50, hog, backbone:resnet18"),
            new ParamSpec("pca", "none|int >= 1|fraction in (0,1)", "none",
                    "PCA inside the detector before the Gaussian (DFM-style); keeps the residual for reconstruction_weight"),
            new ParamSpec("shrinkage", "ledoit_wolf|double in [0,1]", LEDOIT_WOLF,
                    "covariance shrinkage towards mu*I: Ledoit-Wolf's estimate or a fixed value"),
            new ParamSpec("reconstruction_weight", "double >= 0", "0",
                    "weight of the PCA reconstruction error (over its mean training variance) added to the score"),
            new ParamSpec("seed", "long", "0", "random seed (recorded; the fit is deterministic)"));

    public MahalanobisConfig {
        features = ConfigSupport.features(features);
        pca = ConfigSupport.pca("pca", pca);
        String s = ConfigSupport.lower(shrinkage);
        if (s == null || s.isEmpty()) {
            throw new InvalidConfigException("shrinkage", "missing");
        }
        if (!s.equals(LEDOIT_WOLF)) {
            double v;
            try {
                v = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new InvalidConfigException("shrinkage", "must be ledoit_wolf or a number in [0,1], got '"
                        + shrinkage + "'");
            }
            Params.require(v >= 0 && v <= 1, "shrinkage", "must be in [0,1], got " + shrinkage);
            s = ConfigSupport.number(v);
        }
        shrinkage = s;
        Params.require(reconstructionWeight >= 0 && Double.isFinite(reconstructionWeight), "reconstruction_weight",
                "must be finite and >= 0, got " + reconstructionWeight);
        Params.require(reconstructionWeight == 0 || !pca.equals("none"), "reconstruction_weight",
                "needs a pca (the reconstruction error is that of the detector's PCA)");
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults. */
    public static MahalanobisConfig defaults() {
        return builder().build();
    }

    /** From string parameters (CLI, saved models). */
    public static MahalanobisConfig fromParameters(Map<String, String> given) {
        Params p = Params.of(given, SPECS);
        return new MahalanobisConfig(p.string("features"), p.string("pca"), p.string("shrinkage"),
                p.real("reconstruction_weight"), p.longValue("seed"));
    }

    @Override
    public String typeId() {
        return TYPE;
    }

    /** The covariance estimator this config asks for. */
    public CovarianceEstimator estimator() {
        return shrinkage.equals(LEDOIT_WOLF) ? CovarianceEstimator.ledoitWolf()
                : CovarianceEstimator.shrunk(Double.parseDouble(shrinkage));
    }

    @Override
    public Map<String, String> toParameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("features", features);
        m.put("pca", pca);
        m.put("shrinkage", shrinkage);
        m.put("reconstruction_weight", Double.toString(reconstructionWeight));
        m.put("seed", Long.toString(seed));
        return m;
    }

    @Override
    public Mahalanobis fit(ImageSet normals, ProgressListener listener) {
        return Mahalanobis.fit(normals, this, listener);
    }

    /** Builder: every parameter optional, defaults as listed by {@code anomaly4j list}. */
    public static final class Builder {
        private final Map<String, String> p = new LinkedHashMap<>();

        public Builder optFeatures(String spec) {
            p.put("features", spec);
            return this;
        }

        /** PCA to {@code components} inside the detector (0 = none). */
        public Builder optPca(int components) {
            p.put("pca", Integer.toString(components));
            return this;
        }

        /** PCA keeping the fewest components that explain more than {@code fraction} of the variance. */
        public Builder optPcaVariance(double fraction) {
            p.put("pca", Double.toString(fraction));
            return this;
        }

        /** A fixed shrinkage in [0,1]. */
        public Builder optShrinkage(double v) {
            p.put("shrinkage", Double.toString(v));
            return this;
        }

        /** Ledoit–Wolf shrinkage (the default). */
        public Builder optLedoitWolf() {
            p.put("shrinkage", LEDOIT_WOLF);
            return this;
        }

        public Builder optReconstructionWeight(double v) {
            p.put("reconstruction_weight", Double.toString(v));
            return this;
        }

        public Builder optSeed(long v) {
            p.put("seed", Long.toString(v));
            return this;
        }

        public MahalanobisConfig build() {
            return fromParameters(p);
        }
    }
}
