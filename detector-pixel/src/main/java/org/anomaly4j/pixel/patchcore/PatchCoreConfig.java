package org.anomaly4j.pixel.patchcore;

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

/**
 * Configuration of {@link PatchCore}.
 *
 * @param backbone     backbone spec ({@link org.anomaly4j.tensor.Backbones#parse}); the default
 *                     {@code mobilenet_v2} has seeded random weights (tests, demos); real use wants
 *                     {@code mobilenet_v2:FILE.safetensors} or {@code torchscript:FILE}
 * @param layers       strides of the backbone levels concatenated (PatchCore: two mid-level stages)
 * @param grid         stride of the grid the levels are resized to, 0 = the finest chosen level
 * @param pool         local-awareness average pool (odd kernel, 1 = none)
 * @param size         images are resized to {@code size x size}
 * @param coresetRatio fraction of patch features kept in the memory bank (k-center greedy; 1 = all)
 * @param imageScore   {@code max} (largest patch distance), {@code reweighted} (the paper's eq. 7) or
 *                     {@code map} (largest value of the smoothed map, as PaDiM)
 * @param neighbors    support size of the re-weighting (anomalib: 9)
 * @param mapSigma     Gaussian blur of the upsampled map, input pixels (PatchCore and anomalib: 4)
 * @param seed         seed of random backbone weights and of the coreset's start index
 */
public record PatchCoreConfig(String backbone, String layers, int grid, int pool, int size, double coresetRatio,
        String imageScore, int neighbors, double mapSigma, long seed) implements DetectorConfig<PatchCore> {

    /** The registry id. */
    public static final String TYPE = "patchcore";

    static final List<ParamSpec> SPECS = List.of(
            new ParamSpec("backbone", "backbone spec", "mobilenet_v2",
                    "feature extractor; default random-init MobileNetV2 (no download); real use: "
                            + "mobilenet_v2:FILE.safetensors or torchscript:FILE"),
            new ParamSpec("layers", "strides, e.g. 8,16", "8,16", "backbone levels (by stride) concatenated"),
            new ParamSpec("grid", "stride or 0", "0", "grid the levels are resized to; 0 = finest chosen level"),
            new ParamSpec("pool", "odd int >= 1", "3", "local-awareness average pool kernel (1 = none)"),
            new ParamSpec("size", "int 32..1024", "224", "images are resized to size x size"),
            new ParamSpec("coreset_ratio", "double in (0,1]", "0.1", "fraction of patches kept (k-center greedy)"),
            new ParamSpec("image_score", "max|reweighted|map", "max",
                    "max patch distance, the paper's re-weighted score, or the max of the smoothed map"),
            new ParamSpec("neighbors", "int >= 1", "9", "support size of the re-weighting"),
            new ParamSpec("map_sigma", "double >= 0", "4.0", "Gaussian blur of the map, input pixels"),
            new ParamSpec("seed", "long", "0", "random backbone weights and coreset start"));

    public PatchCoreConfig {
        Params.require(backbone != null && !backbone.isBlank(), "backbone", "must not be empty");
        PatchEmbedding.parseStrides(layers, "layers");
        layers = PatchEmbedding.formatStrides(PatchEmbedding.parseStrides(layers, "layers"));
        Params.require(grid >= 0, "grid", "must be 0 or a stride, got " + grid);
        Params.require(pool >= 1 && pool % 2 == 1 && pool <= 15, "pool", "must be odd in 1..15, got " + pool);
        Params.require(size >= 32 && size <= 1024, "size", "must be in 32..1024, got " + size);
        Params.require(coresetRatio > 0 && coresetRatio <= 1, "coreset_ratio", "must be in (0, 1], got " + coresetRatio);
        imageScore = imageScore == null ? "" : imageScore.trim().toLowerCase(Locale.ROOT);
        if (!imageScore.equals("max") && !imageScore.equals("reweighted") && !imageScore.equals("map")) {
            throw new InvalidConfigException("image_score", "must be max, reweighted or map, got '" + imageScore + "'");
        }
        Params.require(neighbors >= 1 && neighbors <= 1000, "neighbors", "must be in 1..1000, got " + neighbors);
        Params.require(mapSigma >= 0 && mapSigma <= 64, "map_sigma", "must be in [0, 64], got " + mapSigma);
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** From string parameters (CLI, saved models). */
    public static PatchCoreConfig fromParameters(Map<String, String> given) {
        Params p = Params.of(given, SPECS);
        return new PatchCoreConfig(p.string("backbone"), p.string("layers"), p.integer("grid"), p.integer("pool"),
                p.integer("size"), p.real("coreset_ratio"), p.string("image_score"), p.integer("neighbors"),
                p.real("map_sigma"), p.longValue("seed"));
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

    @Override
    public Map<String, String> toParameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("backbone", backbone);
        m.put("layers", layers);
        m.put("grid", Integer.toString(grid));
        m.put("pool", Integer.toString(pool));
        m.put("size", Integer.toString(size));
        m.put("coreset_ratio", Double.toString(coresetRatio));
        m.put("image_score", imageScore);
        m.put("neighbors", Integer.toString(neighbors));
        m.put("map_sigma", Double.toString(mapSigma));
        m.put("seed", Long.toString(seed));
        return m;
    }

    @Override
    public PatchCore fit(ImageSet normals, ProgressListener listener) {
        return PatchCore.fit(normals, this, listener);
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

        public Builder optPool(int kernel) {
            p.put("pool", Integer.toString(kernel));
            return this;
        }

        public Builder optSize(int size) {
            p.put("size", Integer.toString(size));
            return this;
        }

        public Builder optCoresetRatio(double ratio) {
            p.put("coreset_ratio", Double.toString(ratio));
            return this;
        }

        public Builder optImageScore(String mode) {
            p.put("image_score", mode);
            return this;
        }

        public Builder optNeighbors(int k) {
            p.put("neighbors", Integer.toString(k));
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

        public PatchCoreConfig build() {
            return fromParameters(p);
        }
    }
}
