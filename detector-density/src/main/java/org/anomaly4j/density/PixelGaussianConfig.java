package org.anomaly4j.density;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.ParamSpec;
import org.anomaly4j.api.Params;
import org.anomaly4j.api.Preprocessing;
import org.anomaly4j.api.ProgressListener;

/**
 * Configuration of {@link PixelGaussian}.
 *
 * @param width         model width (inputs are resized to it)
 * @param height        model height
 * @param channels      1 (grey) or 3 (RGB)
 * @param minStd        floor of each pixel's standard deviation, in image units ([0,1]): keeps
 *                      z-scores finite where the training images never vary
 * @param mapSigma      Gaussian smoothing of the z-map at model resolution, in pixels (0 = none)
 * @param scoreQuantile image score = this quantile of the map (1.0 = the maximum)
 * @param seed          recorded in provenance (the fit itself is deterministic)
 */
public record PixelGaussianConfig(int width, int height, int channels, double minStd, double mapSigma,
        double scoreQuantile, long seed) implements DetectorConfig<PixelGaussian> {

    /** The registry id. */
    public static final String TYPE = "pixel-gaussian";

    static final List<ParamSpec> SPECS = List.of(
            new ParamSpec("width", "int 4..2048", "128", "model width; inputs are resized to it"),
            new ParamSpec("height", "int 4..2048", "128", "model height"),
            new ParamSpec("channels", "1|3", "3", "1 = grey, 3 = RGB"),
            new ParamSpec("min_std", "double > 0", "0.02", "floor of each pixel's standard deviation ([0,1] units)"),
            new ParamSpec("map_sigma", "double >= 0", "2.0", "Gaussian smoothing of the z-map, model pixels"),
            new ParamSpec("score_quantile", "double in (0,1]", "0.99", "image score = this quantile of the map"),
            new ParamSpec("seed", "long", "0", "random seed (recorded; the fit is deterministic)"));

    public PixelGaussianConfig {
        Params.require(width >= 4 && width <= 2048, "width", "must be in 4..2048, got " + width);
        Params.require(height >= 4 && height <= 2048, "height", "must be in 4..2048, got " + height);
        Params.require(channels == 1 || channels == 3, "channels", "must be 1 or 3, got " + channels);
        Params.require(minStd > 0 && Double.isFinite(minStd), "min_std", "must be > 0, got " + minStd);
        Params.require(mapSigma >= 0 && mapSigma <= 64, "map_sigma", "must be in [0, 64], got " + mapSigma);
        Params.require(scoreQuantile > 0 && scoreQuantile <= 1, "score_quantile",
                "must be in (0, 1], got " + scoreQuantile);
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults. */
    public static PixelGaussianConfig defaults() {
        return builder().build();
    }

    /** From string parameters (CLI, saved models). */
    public static PixelGaussianConfig fromParameters(Map<String, String> given) {
        Params p = Params.of(given, SPECS);
        return new PixelGaussianConfig(p.integer("width"), p.integer("height"), p.integer("channels"),
                p.real("min_std"), p.real("map_sigma"), p.real("score_quantile"), p.longValue("seed"));
    }

    @Override
    public String typeId() {
        return TYPE;
    }

    /** How inputs are brought to the model's shape. */
    public Preprocessing preprocessing() {
        return Preprocessing.resize(width, height, channels);
    }

    @Override
    public Map<String, String> toParameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("width", Integer.toString(width));
        m.put("height", Integer.toString(height));
        m.put("channels", Integer.toString(channels));
        m.put("min_std", Double.toString(minStd));
        m.put("map_sigma", Double.toString(mapSigma));
        m.put("score_quantile", Double.toString(scoreQuantile));
        m.put("seed", Long.toString(seed));
        return m;
    }

    @Override
    public PixelGaussian fit(ImageSet normals, ProgressListener listener) {
        return PixelGaussian.fit(normals, this, listener);
    }

    /** Builder: every parameter optional, defaults as listed by {@code anomaly4j list}. */
    public static final class Builder {
        private final Map<String, String> p = new LinkedHashMap<>();

        public Builder optSize(int width, int height) {
            p.put("width", Integer.toString(width));
            p.put("height", Integer.toString(height));
            return this;
        }

        public Builder optChannels(int channels) {
            p.put("channels", Integer.toString(channels));
            return this;
        }

        public Builder optMinStd(double v) {
            p.put("min_std", Double.toString(v));
            return this;
        }

        public Builder optMapSigma(double v) {
            p.put("map_sigma", Double.toString(v));
            return this;
        }

        public Builder optScoreQuantile(double v) {
            p.put("score_quantile", Double.toString(v));
            return this;
        }

        public Builder optSeed(long v) {
            p.put("seed", Long.toString(v));
            return this;
        }

        public PixelGaussianConfig build() {
            return fromParameters(p);
        }
    }
}
