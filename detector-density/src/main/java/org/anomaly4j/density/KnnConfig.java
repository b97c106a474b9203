package org.anomaly4j.density;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.ParamSpec;
import org.anomaly4j.api.Params;
import org.anomaly4j.api.ProgressListener;

/**
 * Configuration of {@link Knn}.
 *
 * @param features    feature spec, canonical form
 * @param k           number of nearest training images
 * @param aggregation {@code mean} (mean distance to the k nearest) or {@code max} (distance to the k-th)
 * @param seed        recorded in provenance (and the feature extractor's seed)
 */
public record KnnConfig(String features, int k, String aggregation, long seed) implements DetectorConfig<Knn> {

    /** The registry id. */
    public static final String TYPE = "knn";

    static final List<ParamSpec> SPECS = List.of(
            new ParamSpec("features", "feature spec", ConfigSupport.DEFAULT_FEATURES,
                    "image features, e.g. pixels, pixels:size=32, backbone:resnet18"),
            new ParamSpec("k", "int 1..1024", "5", "number of nearest training images"),
            new ParamSpec("aggregation", "mean|max", "mean",
                    "mean = mean distance to the k nearest, max = distance to the k-th nearest"),
            new ParamSpec("seed", "long", "0", "random seed (recorded; the fit is deterministic)"));

    public KnnConfig {
        features = ConfigSupport.features(features);
        Params.require(k >= 1 && k <= 1024, "k", "must be in 1..1024, got " + k);
        String a = ConfigSupport.lower(aggregation);
        Params.require(a != null && (a.equals("mean") || a.equals("max")), "aggregation",
                "must be mean or max, got '" + aggregation + "'");
        aggregation = a;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults. */
    public static KnnConfig defaults() {
        return builder().build();
    }

    /** From string parameters (CLI, saved models). */
    public static KnnConfig fromParameters(Map<String, String> given) {
        Params p = Params.of(given, SPECS);
        return new KnnConfig(p.string("features"), p.integer("k"), p.string("aggregation"), p.longValue("seed"));
    }

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public Map<String, String> toParameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("features", features);
        m.put("k", Integer.toString(k));
        m.put("aggregation", aggregation);
        m.put("seed", Long.toString(seed));
        return m;
    }

    @Override
    public Knn fit(ImageSet normals, ProgressListener listener) {
        return Knn.fit(normals, this, listener);
    }

    /** Builder: every parameter optional, defaults as listed by {@code anomaly4j list}. */
    public static final class Builder {
        private final Map<String, String> p = new LinkedHashMap<>();

        public Builder optFeatures(String spec) {
            p.put("features", spec);
            return this;
        }

        public Builder optK(int k) {
            p.put("k", Integer.toString(k));
            return this;
        }

        /** mean or max. */
        public Builder optAggregation(String a) {
            p.put("aggregation", a);
            return this;
        }

        public Builder optSeed(long v) {
            p.put("seed", Long.toString(v));
            return this;
        }

        public KnnConfig build() {
            return fromParameters(p);
        }
    }
}
