package org.anomaly4j.pixel.padim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidConfigException;
import org.anomaly4j.api.ParamSpec;
import org.anomaly4j.api.Params;
import org.anomaly4j.api.Preprocessing;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.pixel.PatchEmbedding;
import org.anomaly4j.tensor.CovarianceEstimator;

/**
 * Configuration of {@link Padim}.
 *
 * @param backbone   backbone spec; default random-init {@code mobilenet_v2} (tests, demos), real use
 *                   {@code mobilenet_v2:FILE.safetensors} or {@code torchscript:FILE}
 * @param layers     strides of the concatenated levels (PaDiM: the first three stages)
 * @param grid       stride of the grid (nearest resize), 0 = the finest chosen level
 * @param size       images are resized to {@code size x size}
 * @param channels   random subset of the concatenated channels kept (seeded), 0 = all
 * @param covariance {@code ridge} (unbiased covariance + {@code ridge * I}: the paper and anomalib) or
 *                   {@code ledoit_wolf}
 * @param ridge      the ridge added to the covariance's diagonal (paper: 0.01)
 * @param mapSigma   Gaussian blur of the upsampled map, input pixels (anomalib: 4)
 * @param seed       seed of random backbone weights and of the channel subset
 */
public record PadimConfig(String backbone, String layers, int grid, int size, int channels, String covariance,
        double ridge, double mapSigma, long seed) implements DetectorConfig<Padim> {

    /** The registry id. */
    public static final String TYPE = "padim";

    static final List<ParamSpec> SPECS = List.of(
            new ParamSpec("backbone", "backbone spec", "mobilenet_v2",
                    "feature extractor; default random-init MobileNetV2 (no download); real use: "
                            + "mobilenet_v2:FILE.safetensors or torchscript:FILE"),
            new ParamSpec("layers", "strides, e.g. 4,8,16", "4,8,16", "backbone levels (by stride) concatenated"),
            new ParamSpec("grid", "stride or 0", "0", "grid the levels are resized to (nearest); 0 = finest"),
            new ParamSpec("size", "int 32..1024", "224", "images are resized to size x size"),
            new ParamSpec("channels", "int >= 0", "0", "random (seeded) subset of channels kept; 0 = all"),
            new ParamSpec("covariance", "ridge|ledoit_wolf", "ridge", "covariance estimator per position"),
            new ParamSpec("ridge", "double >= 0", "0.01", "added to the covariance diagonal (ridge estimator)"),
            new ParamSpec("map_sigma", "double >= 0", "4.0", "Gaussian blur of the map, input pixels"),
            new ParamSpec("seed", "long", "0", "random backbone weights and channel subset"));

    public PadimConfig {
        Params.require(backbone != null && !backbone.isBlank(), "backbone", "must not be empty");
        layers = PatchEmbedding.formatStrides(PatchEmbedding.parseStrides(layers, "layers"));
        Params.require(grid >= 0, "grid", "must be 0 or a stride, got " + grid);
        Params.require(size >= 32 && size <= 1024, "size", "must be in 32..1024, got " + size);
        Params.require(channels >= 0 && channels <= 8192, "channels", "must be in 0..8192, got " + channels);
        covariance = covariance == null ? "" : covariance.trim().toLowerCase(Locale.ROOT);
        if (!covariance.equals("ridge") && !covariance.equals("ledoit_wolf")) {
            throw new InvalidConfigException("covariance", "must be ridge or ledoit_wolf, got '" + covariance + "'");
        }
        Params.require(ridge >= 0 && Double.isFinite(ridge), "ridge", "must be finite and >= 0, got " + ridge);
        Params.require(mapSigma >= 0 && mapSigma <= 64, "map_sigma", "must be in [0, 64], got " + mapSigma);
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** From string parameters (CLI, saved models). */
    public static PadimConfig fromParameters(Map<String, String> given) {
        Params p = Params.of(given, SPECS);
        return new PadimConfig(p.string("backbone"), p.string("layers"), p.integer("grid"), p.integer("size"),
                p.integer("channels"), p.string("covariance"), p.real("ridge"), p.real("map_sigma"),
                p.longValue("seed"));
    }

    @Override
    public String typeId() {
        return TYPE;
    }

    /** Resize to {@code size x size}, RGB. */
    public Preprocessing preprocessing() {
        return Preprocessing.resize(size, size, 3);
    }

    /** The chosen level strides. */
    public int[] layerStrides() {
        return PatchEmbedding.parseStrides(layers, "layers");
    }

    /** The covariance estimator. */
    public CovarianceEstimator estimator() {
        return covariance.equals("ridge") ? CovarianceEstimator.ridge(ridge) : CovarianceEstimator.ledoitWolf();
    }

    @Override
    public Map<String, String> toParameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("backbone", backbone);
        m.put("layers", layers);
        m.put("grid", Integer.toString(grid));
        m.put("size", Integer.toString(size));
        m.put("channels", Integer.toString(channels));
        m.put("covariance", covariance);
        m.put("ridge", Double.toString(ridge));
        m.put("map_sigma", Double.toString(mapSigma));
        m.put("seed", Long.toString(seed));
        return m;
    }

    @Override
    public Padim fit(ImageSet normals, ProgressListener listener) {
        return Padim.fit(normals, this, listener);
    }

    /** Builder: every parameter optional. */
    public static final class Builder {
        private final Map<String, String> p = new LinkedHashMap<>();

        public Builder optBackbone(String spec) {
            p.put("backbone", spec);
            return this;
        }

        public Builder optLayers(String strides) {
            p.put("layers", strides);
            return this;
        }

        public Builder optGrid(int stride) {
            p.put("grid", Integer.toString(stride));
            return this;
        }

        public Builder optSize(int size) {
            p.put("size", Integer.toString(size));
            return this;
        }

        public Builder optChannels(int channels) {
            p.put("channels", Integer.toString(channels));
            return this;
        }

        public Builder optCovariance(String estimator) {
            p.put("covariance", estimator);
            return this;
        }

        public Builder optRidge(double ridge) {
            p.put("ridge", Double.toString(ridge));
            return this;
        }

        public Builder optMapSigma(double sigma) {
            p.put("map_sigma", Double.toString(sigma));
            return this;
        }

        public Builder optSeed(long seed) {
            p.put("seed", Long.toString(seed));
            return this;
        }

        public PadimConfig build() {
            return fromParameters(p);
        }
    }
}
