package org.anomaly4j.pixel.dfr;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidConfigException;
import org.anomaly4j.api.ParamSpec;
import org.anomaly4j.api.Params;
import org.anomaly4j.api.Preprocessing;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.tensor.TrainingConfig;

/**
 * Configuration of {@link Dfr}.
 *
 * @param backbone   feature extractor spec ({@link org.anomaly4j.tensor.Backbones#parse})
 * @param levels     indices of the backbone levels stacked (comma-separated, increasing)
 * @param size       model input side
 * @param gridStride input pixels per cell of the common feature grid every level is brought to
 * @param latent     channels of the autoencoder's bottleneck
 * @param epochs     training epochs
 * @param lr         Adam learning rate
 * @param batchSize  images per step
 * @param sigma      Gaussian blur of the map (model pixels; 0 = none)
 * @param seed       seeds the random backbone (if any), initialisation and shuffling
 */
public record DfrConfig(String backbone, String levels, int size, int gridStride, int latent, int epochs, double lr,
        int batchSize, double sigma, long seed) implements DetectorConfig<Dfr> {
    public static final String TYPE = "dfr";

    public static final List<ParamSpec> SPECS = List.of(
            new ParamSpec("backbone", "backbone spec", "mobilenet_v2",
                    "features: mobilenet_v2:FILE.safetensors, torchscript:FILE, resnet18:FILE... (no FILE = random)"),
            new ParamSpec("levels", "int list", "0,1,2", "backbone levels stacked (increasing indices)"),
            new ParamSpec("size", "int in 32..1024", "224", "model input side"),
            new ParamSpec("grid_stride", "int in 1..64", "8", "input pixels per cell of the common feature grid"),
            new ParamSpec("latent", "int >= 1", "48", "bottleneck channels of the 1x1 convolutional autoencoder"),
            new ParamSpec("epochs", "int >= 1", "20", "training epochs"),
            new ParamSpec("lr", "double > 0", "0.001", "Adam learning rate"),
            new ParamSpec("batch_size", "int >= 1", "8", "images per step"),
            new ParamSpec("sigma", "double >= 0", "4.0", "Gaussian blur of the map (model pixels; 0 = none)"),
            new ParamSpec("seed", "long", "0", "seeds initialisation and shuffling"));

    public DfrConfig {
        Params.require(backbone != null && !backbone.isBlank(), "backbone", "must not be blank");
        backbone = backbone.trim();
        levels = normaliseLevels(levels);
        Params.require(size >= 32 && size <= 1024, "size", "must be in 32..1024, got " + size);
        Params.require(gridStride >= 1 && gridStride <= 64, "grid_stride", "must be in 1..64, got " + gridStride);
        Params.require(latent >= 1 && latent <= 4096, "latent", "must be in 1..4096, got " + latent);
        Params.require(epochs >= 1, "epochs", "must be >= 1, got " + epochs);
        Params.require(lr > 0 && Double.isFinite(lr), "lr", "must be > 0, got " + lr);
        Params.require(batchSize >= 1, "batch_size", "must be >= 1, got " + batchSize);
        Params.require(sigma >= 0 && sigma <= 64, "sigma", "must be in [0, 64], got " + sigma);
    }

    static String normaliseLevels(String levels) {
        Params.require(levels != null && !levels.isBlank(), "levels", "must list at least one level index");
        int[] l;
        try {
            l = Arrays.stream(levels.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new InvalidConfigException("levels", "must be comma-separated integers, got '" + levels + "'");
        }
        for (int i = 0; i < l.length; i++) {
            Params.require(l[i] >= 0 && l[i] < 8, "levels", "indices must be in 0..7, got " + l[i]);
            Params.require(i == 0 || l[i] > l[i - 1], "levels", "indices must increase, got '" + levels + "'");
        }
        return String.join(",", Arrays.stream(l).mapToObj(Integer::toString).toList());
    }

    /** The level indices. */
    public int[] levelIndices() {
        return Arrays.stream(levels.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    /** The side of the common feature grid. */
    public int grid() {
        return (size + gridStride - 1) / gridStride;
    }

    /** The defaults. */
    public static DfrConfig defaults() {
        return builder().build();
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** From string parameters (CLI, saved models). */
    public static DfrConfig fromParameters(Map<String, String> given) {
        Params p = Params.of(given, SPECS);
        return new DfrConfig(p.string("backbone"), p.string("levels"), p.integer("size"), p.integer("grid_stride"),
                p.integer("latent"), p.integer("epochs"), p.real("lr"), p.integer("batch_size"), p.real("sigma"),
                p.longValue("seed"));
    }

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public Map<String, String> toParameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("backbone", backbone);
        m.put("levels", levels);
        m.put("size", Integer.toString(size));
        m.put("grid_stride", Integer.toString(gridStride));
        m.put("latent", Integer.toString(latent));
        m.put("epochs", Integer.toString(epochs));
        m.put("lr", Double.toString(lr));
        m.put("batch_size", Integer.toString(batchSize));
        m.put("sigma", Double.toString(sigma));
        m.put("seed", Long.toString(seed));
        return m;
    }

    /** How inputs are brought to the model's shape. */
    public Preprocessing preprocessing() {
        return Preprocessing.resize(size, size, 3);
    }

    TrainingConfig training() {
        return TrainingConfig.builder().setOptimizer(TrainingConfig.Optimizer.ADAM).setLearningRate(lr)
                .setEpochs(epochs).setBatchSize(batchSize).optSeed(seed + 1).optDropLast(true).build();
    }

    @Override
    public Dfr fit(ImageSet normals, ProgressListener listener) {
        return Dfr.fit(normals, this, listener);
    }

    /** Builder: every parameter optional. */
    public static final class Builder {
        private final Map<String, String> p = new LinkedHashMap<>();

        private Builder put(String k, Object v) {
            p.put(k, String.valueOf(v));
            return this;
        }

        public Builder optBackbone(String spec) {
            return put("backbone", spec);
        }

        public Builder optLevels(String levels) {
            return put("levels", levels);
        }

        public Builder optSize(int size) {
            return put("size", size);
        }

        public Builder optGridStride(int stride) {
            return put("grid_stride", stride);
        }

        public Builder optLatent(int latent) {
            return put("latent", latent);
        }

        public Builder optEpochs(int epochs) {
            return put("epochs", epochs);
        }

        public Builder optLr(double lr) {
            return put("lr", lr);
        }

        public Builder optBatchSize(int size) {
            return put("batch_size", size);
        }

        public Builder optSigma(double sigma) {
            return put("sigma", sigma);
        }

        public Builder optSeed(long seed) {
            return put("seed", seed);
        }

        public DfrConfig build() {
            return fromParameters(p);
        }
    }
}
