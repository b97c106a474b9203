package org.anomaly4j.pixel.spade;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.ParamSpec;
import org.anomaly4j.api.Params;
import org.anomaly4j.api.Preprocessing;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.pixel.PatchEmbedding;

/**
 * Configuration of {@link Spade}.
 *
 * @param backbone    backbone spec; default random-init {@code mobilenet_v2} (tests, demos), real use
 *                    {@code mobilenet_v2:FILE.safetensors} or {@code torchscript:FILE}
 * @param layers      strides of the levels whose maps form the pixel-level features
 * @param grid        stride of the grid the pixel-level maps are resized to (bilinear), 0 = finest chosen
 * @param globalLayer stride of the level whose global average pool is the image-level feature
 * @param size        images are resized to {@code size x size}
 * @param kImages     K: nearest training images (image score = their mean distance; their maps form the
 *                    pixel-level gallery); the paper uses 50
 * @param mapSigma    Gaussian blur of the upsampled map, input pixels (the paper: 4)
 * @param seed        seed of random backbone weights
 */
public record SpadeConfig(String backbone, String layers, int grid, int globalLayer, int size, int kImages,
        double mapSigma, long seed) implements DetectorConfig<Spade> {

    /** The registry id. */
    public static final String TYPE = "spade";

    static final List<ParamSpec> SPECS = List.of(
            new ParamSpec("backbone", "backbone spec", "mobilenet_v2",
                    "feature extractor; default random-init MobileNetV2 (no download); real use: "
                            + "mobilenet_v2:FILE.safetensors or torchscript:FILE"),
            new ParamSpec("layers", "strides, e.g. 4,8,16", "4,8,16", "levels (by stride) of the pixel features"),
            new ParamSpec("grid", "stride or 0", "8", "grid of the pixel features (bilinear); 0 = finest chosen"),
            new ParamSpec("global_layer", "stride", "32", "level whose global average pool is the image feature"),
            new ParamSpec("size", "int 32..1024", "224", "images are resized to size x size"),
            new ParamSpec("k_images", "int >= 1", "50", "K nearest training images (image score, pixel gallery)"),
            new ParamSpec("map_sigma", "double >= 0", "4.0", "Gaussian blur of the map, input pixels"),
            new ParamSpec("seed", "long", "0", "random backbone weights"));

    public SpadeConfig {
        Params.require(backbone != null && !backbone.isBlank(), "backbone", "must not be empty");
        layers = PatchEmbedding.formatStrides(PatchEmbedding.parseStrides(layers, "layers"));
        Params.require(grid >= 0, "grid", "must be 0 or a stride, got " + grid);
        Params.require(globalLayer >= 1, "global_layer", "must be a stride, got " + globalLayer);
        Params.require(size >= 32 && size <= 1024, "size", "must be in 32..1024, got " + size);
        Params.require(kImages >= 1 && kImages <= 10000, "k_images", "must be in 1..10000, got " + kImages);
        Params.require(mapSigma >= 0 && mapSigma <= 64, "map_sigma", "must be in [0, 64], got " + mapSigma);
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** From string parameters (CLI, saved models). */
    public static SpadeConfig fromParameters(Map<String, String> given) {
        Params p = Params.of(given, SPECS);
        return new SpadeConfig(p.string("backbone"), p.string("layers"), p.integer("grid"), p.integer("global_layer"),
                p.integer("size"), p.integer("k_images"), p.real("map_sigma"), p.longValue("seed"));
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
        m.put("global_layer", Integer.toString(globalLayer));
        m.put("size", Integer.toString(size));
        m.put("k_images", Integer.toString(kImages));
        m.put("map_sigma", Double.toString(mapSigma));
        m.put("seed", Long.toString(seed));
        return m;
    }

    @Override
    public Spade fit(ImageSet normals, ProgressListener listener) {
        return Spade.fit(normals, this, listener);
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

        public Builder optGlobalLayer(int stride) {
            p.put("global_layer", Integer.toString(stride));
            return this;
        }

        public Builder optSize(int size) {
            p.put("size", Integer.toString(size));
            return this;
        }

        public Builder optKImages(int k) {
            p.put("k_images", Integer.toString(k));
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

        public SpadeConfig build() {
            return fromParameters(p);
        }
    }
}
