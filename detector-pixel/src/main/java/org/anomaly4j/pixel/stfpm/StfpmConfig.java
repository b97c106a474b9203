package org.anomaly4j.pixel.stfpm;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.ParamSpec;
import org.anomaly4j.api.Params;
import org.anomaly4j.api.Preprocessing;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.pixel.ScaleMaps;
import org.anomaly4j.tensor.TrainingConfig;

/**
 * Configuration of {@link Stfpm}.
 *
 * @param backbone  teacher backbone spec ({@link org.anomaly4j.tensor.Backbones#parse}); without a weights
 *                  file the teacher is random (useful for tests only)
 * @param levels    indices of the teacher levels matched (comma-separated, increasing)
 * @param size      model input side (images are resized to {@code size x size})
 * @param epochs    training epochs of the student
 * @param optimizer {@code sgd} (the paper's: momentum 0.9) or {@code adam}
 * @param lr        learning rate
 * @param weightDecay L2 weight decay
 * @param batchSize images per training step
 * @param sigma     Gaussian blur of the map at model resolution (0 = none)
 * @param combine   how level maps combine: product (the paper), sum or mean
 * @param seed      seeds the random teacher (if any), the student's initialisation and the shuffling
 */
public record StfpmConfig(String backbone, String levels, int size, int epochs, String optimizer, double lr,
        double weightDecay, int batchSize, double sigma, String combine, long seed)
        implements DetectorConfig<Stfpm> {
    public static final String TYPE = "stfpm";

    public static final List<ParamSpec> SPECS = List.of(
            new ParamSpec("backbone", "backbone spec", "mobilenet_v2",
                    "teacher: mobilenet_v2:FILE.safetensors, torchscript:FILE, resnet18:FILE... (no FILE = random teacher)"),
            new ParamSpec("levels", "int list", "0,1,2", "teacher levels matched by the student (increasing indices)"),
            new ParamSpec("size", "int in 32..1024", "224", "model input side"),
            new ParamSpec("epochs", "int >= 1", "20", "student training epochs"),
            new ParamSpec("optimizer", "sgd|adam", "adam", "optimizer (sgd: momentum 0.9, as the paper)"),
            new ParamSpec("lr", "double > 0", "0.001", "learning rate"),
            new ParamSpec("weight_decay", "double >= 0", "1.0E-4", "weight decay"),
            new ParamSpec("batch_size", "int >= 1", "16", "images per training step"),
            new ParamSpec("sigma", "double >= 0", "4.0", "Gaussian blur of the map (model pixels; 0 = none)"),
            new ParamSpec("combine", "product|sum|mean", "product", "how the level maps combine"),
            new ParamSpec("seed", "long", "0", "seeds initialisation and shuffling"));

    public StfpmConfig {
        Params.require(backbone != null && !backbone.isBlank(), "backbone", "must not be blank");
        backbone = backbone.trim();
        levels = normaliseLevels(levels);
        Params.require(size >= 32 && size <= 1024, "size", "must be in 32..1024, got " + size);
        Params.require(epochs >= 1, "epochs", "must be >= 1, got " + epochs);
        optimizer = optimizer == null ? "" : optimizer.trim().toLowerCase(Locale.ROOT);
        Params.require(optimizer.equals("sgd") || optimizer.equals("adam"), "optimizer",
                "must be sgd or adam, got '" + optimizer + "'");
        Params.require(lr > 0 && Double.isFinite(lr), "lr", "must be > 0, got " + lr);
        Params.require(weightDecay >= 0 && Double.isFinite(weightDecay), "weight_decay", "must be >= 0, got " + weightDecay);
        Params.require(batchSize >= 1, "batch_size", "must be >= 1, got " + batchSize);
        Params.require(sigma >= 0 && sigma <= 64, "sigma", "must be in [0, 64], got " + sigma);
        combine = ScaleMaps.Combine.parse("combine", combine == null ? "" : combine).id();
    }

    /** Parses and checks a comma-separated list of increasing level indices. */
    static String normaliseLevels(String levels) {
        Params.require(levels != null && !levels.isBlank(), "levels", "must list at least one level index");
        int[] l;
        try {
            l = Arrays.stream(levels.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new org.anomaly4j.api.InvalidConfigException("levels", "must be comma-separated integers, got '"
                    + levels + "'");
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

    /** The defaults. */
    public static StfpmConfig defaults() {
        return builder().build();
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** From string parameters (CLI, saved models). */
    public static StfpmConfig fromParameters(Map<String, String> given) {
        Params p = Params.of(given, SPECS);
        return new StfpmConfig(p.string("backbone"), p.string("levels"), p.integer("size"), p.integer("epochs"),
                p.string("optimizer"), p.real("lr"), p.real("weight_decay"), p.integer("batch_size"), p.real("sigma"),
                p.string("combine"), p.longValue("seed"));
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
        m.put("epochs", Integer.toString(epochs));
        m.put("optimizer", optimizer);
        m.put("lr", Double.toString(lr));
        m.put("weight_decay", Double.toString(weightDecay));
        m.put("batch_size", Integer.toString(batchSize));
        m.put("sigma", Double.toString(sigma));
        m.put("combine", combine);
        m.put("seed", Long.toString(seed));
        return m;
    }

    /** How inputs are brought to the model's shape. */
    public Preprocessing preprocessing() {
        return Preprocessing.resize(size, size, 3);
    }

    TrainingConfig training() {
        boolean sgd = optimizer.equals("sgd");
        return TrainingConfig.builder()
                .setOptimizer(sgd ? TrainingConfig.Optimizer.SGD : TrainingConfig.Optimizer.ADAM)
                .setLearningRate(lr).optMomentum(sgd ? 0.9 : 0).optWeightDecay(weightDecay).setEpochs(epochs)
                .setBatchSize(batchSize).optSeed(seed + 1).optDropLast(true).build();
    }

    @Override
    public Stfpm fit(ImageSet normals, ProgressListener listener) {
        return Stfpm.fit(normals, this, listener);
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

        public Builder optEpochs(int epochs) {
            return put("epochs", epochs);
        }

        public Builder optOptimizer(String optimizer) {
            return put("optimizer", optimizer);
        }

        public Builder optLr(double lr) {
            return put("lr", lr);
        }

        public Builder optWeightDecay(double wd) {
            return put("weight_decay", wd);
        }

        public Builder optBatchSize(int size) {
            return put("batch_size", size);
        }

        public Builder optSigma(double sigma) {
            return put("sigma", sigma);
        }

        public Builder optCombine(String combine) {
            return put("combine", combine);
        }

        public Builder optSeed(long seed) {
            return put("seed", seed);
        }

        public StfpmConfig build() {
            return fromParameters(p);
        }
    }
}
