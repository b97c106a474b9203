package org.anomaly4j.density;

import org.anomaly4j.mixture.GaussianMixture;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidConfigException;
import org.anomaly4j.api.ParamSpec;
import org.anomaly4j.api.Params;
import org.anomaly4j.api.ProgressListener;

/**
 * Configuration of {@link Gmm}; the EM settings have scikit-learn's names and defaults.
 *
 * @param features       feature spec, canonical form
 * @param components     number of mixture components, or 0 = chosen by BIC over 1..{@code maxComponents}
 * @param maxComponents  largest number of components tried by the BIC search
 * @param covarianceType full, tied, diag or spherical
 * @param tol            EM stops when the mean log-likelihood changes by less than this
 * @param regCovar       added to every covariance's diagonal
 * @param maxIter        EM iterations per initialisation
 * @param nInit          initialisations (the best log-likelihood wins)
 * @param init           {@code kmeans} (k-means++ seeding then Lloyd, as scikit-learn's default) or
 *                       {@code k-means++} (each point to its nearest k-means++ seed)
 * @param seed           seed of the initialisation (and of the feature extractor)
 */
public record GmmConfig(String features, int components, int maxComponents, String covarianceType, double tol,
        double regCovar, int maxIter, int nInit, String init, long seed) implements DetectorConfig<Gmm> {

    /** The registry id. */
    public static final String TYPE = "gmm";
    /** Value of {@code components} that selects the number by BIC. */
    public static final String BIC = "bic";

    static final List<ParamSpec> SPECS = List.of(
            new ParamSpec("features", "feature spec", ConfigSupport.DEFAULT_FEATURES,
                    "image features, e.g. pixels:pca=50 (a full-covariance mixture wants few dimensions)"),
            new ParamSpec("components", "bic|int >= 1", BIC,
                    "mixture components; bic = the number in 1..max_components with the lowest BIC"),
            new ParamSpec("max_components", "int 1..64", "8", "largest number of components the BIC search tries"),
            new ParamSpec("covariance_type", "full|tied|diag|spherical", "full", "covariance parameterisation"),
            new ParamSpec("tol", "double > 0", "0.001", "EM convergence threshold on the mean log-likelihood"),
            new ParamSpec("reg_covar", "double >= 0", "1.0E-6", "added to the covariances' diagonal"),
            new ParamSpec("max_iter", "int >= 1", "100", "EM iterations per initialisation"),
            new ParamSpec("n_init", "int >= 1", "1", "initialisations; the best log-likelihood wins"),
            new ParamSpec("init", "kmeans|k-means++", "kmeans",
                    "kmeans = k-means++ seeding then Lloyd; k-means++ = nearest seed"),
            new ParamSpec("seed", "long", "0", "random seed of the initialisation"));

    public GmmConfig {
        features = ConfigSupport.features(features);
        Params.require(components >= 0, "components", "must be bic or >= 1, got " + components);
        Params.require(maxComponents >= 1 && maxComponents <= 64, "max_components",
                "must be in 1..64, got " + maxComponents);
        String t = ConfigSupport.lower(covarianceType);
        Params.require(t != null && List.of("full", "tied", "diag", "spherical").contains(t), "covariance_type",
                "must be full, tied, diag or spherical, got '" + covarianceType + "'");
        covarianceType = t;
        Params.require(tol > 0 && Double.isFinite(tol), "tol", "must be > 0, got " + tol);
        Params.require(regCovar >= 0 && Double.isFinite(regCovar), "reg_covar", "must be >= 0, got " + regCovar);
        Params.require(maxIter >= 1, "max_iter", "must be >= 1, got " + maxIter);
        Params.require(nInit >= 1 && nInit <= 100, "n_init", "must be in 1..100, got " + nInit);
        String i = ConfigSupport.lower(init);
        Params.require(i != null && (i.equals("kmeans") || i.equals("k-means++")), "init",
                "must be kmeans or k-means++, got '" + init + "'");
        init = i;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults. */
    public static GmmConfig defaults() {
        return builder().build();
    }

    /** From string parameters (CLI, saved models). */
    public static GmmConfig fromParameters(Map<String, String> given) {
        Params p = Params.of(given, SPECS);
        String c = ConfigSupport.lower(p.string("components"));
        int comps;
        if (c.equals(BIC)) {
            comps = 0;
        } else {
            try {
                comps = Integer.parseInt(c);
            } catch (NumberFormatException e) {
                throw new InvalidConfigException("components", "must be bic or an integer >= 1, got '" + c + "'");
            }
            Params.require(comps >= 1, "components", "must be bic or >= 1, got " + c);
        }
        return new GmmConfig(p.string("features"), comps, p.integer("max_components"), p.string("covariance_type"),
                p.real("tol"), p.real("reg_covar"), p.integer("max_iter"), p.integer("n_init"), p.string("init"),
                p.longValue("seed"));
    }

    @Override
    public String typeId() {
        return TYPE;
    }

    /** Whether the number of components is chosen by BIC. */
    public boolean selectsByBic() {
        return components == 0;
    }

    GaussianMixture.Settings settings(int k) {
        return new GaussianMixture.Settings(k, GaussianMixture.CovarianceType.parse(covarianceType), tol, regCovar,
                maxIter, nInit, init.equals("kmeans"), seed);
    }

    @Override
    public Map<String, String> toParameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("features", features);
        m.put("components", components == 0 ? BIC : Integer.toString(components));
        m.put("max_components", Integer.toString(maxComponents));
        m.put("covariance_type", covarianceType);
        m.put("tol", Double.toString(tol));
        m.put("reg_covar", Double.toString(regCovar));
        m.put("max_iter", Integer.toString(maxIter));
        m.put("n_init", Integer.toString(nInit));
        m.put("init", init);
        m.put("seed", Long.toString(seed));
        return m;
    }

    @Override
    public Gmm fit(ImageSet normals, ProgressListener listener) {
        return Gmm.fit(normals, this, listener);
    }

    /** Builder: every parameter optional, defaults as listed by {@code anomaly4j list}. */
    public static final class Builder {
        private final Map<String, String> p = new LinkedHashMap<>();

        public Builder optFeatures(String spec) {
            p.put("features", spec);
            return this;
        }

        /** A fixed number of components (instead of the BIC search). */
        public Builder optComponents(int k) {
            p.put("components", Integer.toString(k));
            return this;
        }

        /** Chooses the number of components by BIC over 1..max (the default). */
        public Builder optBic(int maxComponents) {
            p.put("components", BIC);
            p.put("max_components", Integer.toString(maxComponents));
            return this;
        }

        /** full, tied, diag or spherical. */
        public Builder optCovarianceType(String type) {
            p.put("covariance_type", type);
            return this;
        }

        public Builder optTol(double v) {
            p.put("tol", Double.toString(v));
            return this;
        }

        public Builder optRegCovar(double v) {
            p.put("reg_covar", Double.toString(v));
            return this;
        }

        public Builder optMaxIter(int v) {
            p.put("max_iter", Integer.toString(v));
            return this;
        }

        public Builder optNInit(int v) {
            p.put("n_init", Integer.toString(v));
            return this;
        }

        /** kmeans or k-means++. */
        public Builder optInit(String v) {
            p.put("init", v);
            return this;
        }

        public Builder optSeed(long v) {
            p.put("seed", Long.toString(v));
            return this;
        }

        public GmmConfig build() {
            return fromParameters(p);
        }
    }
}
