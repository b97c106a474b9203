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

/**
 * Configuration of {@link Kde}.
 *
 * @param features  feature spec, canonical form
 * @param bandwidth {@code scott}, {@code silverman} (both on whitened features, as
 *                  {@code scipy.stats.gaussian_kde}), {@code isotropic} (Scott's factor times the root
 *                  mean per-feature variance), {@code cv} (held-out likelihood over a grid) or a fixed
 *                  positive number (in feature units); canonical form
 * @param seed      seed of the {@code cv} split (and of the feature extractor)
 */
public record KdeConfig(String features, String bandwidth, long seed) implements DetectorConfig<Kde> {

    /** The registry id. */
    public static final String TYPE = "kde";

    static final List<ParamSpec> SPECS = List.of(
            new ParamSpec("features", "feature spec", ConfigSupport.DEFAULT_FEATURES,
                    "image features, e.g. pixels:pca=50"),
            new ParamSpec("bandwidth", "scott|silverman|isotropic|cv|double > 0", "isotropic",
                    "kernel width: scott/silverman on whitened features, isotropic = scott * sqrt(mean variance),"
                            + " cv = best held-out likelihood on a grid, or a fixed value"),
            new ParamSpec("seed", "long", "0", "seed of the cv hold-out split"));

    public KdeConfig {
        features = ConfigSupport.features(features);
        if (bandwidth == null) {
            throw new InvalidConfigException("bandwidth", "missing");
        }
        try {
            bandwidth = KernelDensity.Bandwidth.parse(bandwidth).toString();
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("bandwidth", e.getMessage());
        }
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults. */
    public static KdeConfig defaults() {
        return builder().build();
    }

    /** From string parameters (CLI, saved models). */
    public static KdeConfig fromParameters(Map<String, String> given) {
        Params p = Params.of(given, SPECS);
        return new KdeConfig(p.string("features"), p.string("bandwidth"), p.longValue("seed"));
    }

    KernelDensity.Bandwidth parsedBandwidth() {
        return KernelDensity.Bandwidth.parse(bandwidth);
    }

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public Map<String, String> toParameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("features", features);
        m.put("bandwidth", bandwidth);
        m.put("seed", Long.toString(seed));
        return m;
    }

    @Override
    public Kde fit(ImageSet normals, ProgressListener listener) {
        return Kde.fit(normals, this, listener);
    }

    /** Builder: every parameter optional, defaults as listed by {@code anomaly4j list}. */
    public static final class Builder {
        private final Map<String, String> p = new LinkedHashMap<>();

        public Builder optFeatures(String spec) {
            p.put("features", spec);
            return this;
        }

        /** scott, silverman, isotropic or cv. */
        public Builder optBandwidth(String rule) {
            p.put("bandwidth", rule);
            return this;
        }

        /** A fixed bandwidth in feature units. */
        public Builder optBandwidth(double h) {
            p.put("bandwidth", Double.toString(h));
            return this;
        }

        public Builder optSeed(long v) {
            p.put("seed", Long.toString(v));
            return this;
        }

        public KdeConfig build() {
            return fromParameters(p);
        }
    }
}
