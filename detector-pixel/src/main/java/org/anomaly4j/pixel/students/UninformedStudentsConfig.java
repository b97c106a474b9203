package org.anomaly4j.pixel.students;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.ParamSpec;
import org.anomaly4j.api.Params;
import org.anomaly4j.api.Preprocessing;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.tensor.TrainingConfig;

/**
 * Configuration of {@link UninformedStudents}.
 *
 * @param backbone  teacher backbone spec ({@link org.anomaly4j.tensor.Backbones#parse})
 * @param level     index of the teacher level regressed (its stride must be 4, 8 or 16)
 * @param size      model input side
 * @param students  ensemble size
 * @param width     channels of the students' first convolution (doubling at each stride-2 stage)
 * @param epochs    training epochs
 * @param lr        Adam learning rate
 * @param batchSize images per step
 * @param sigma     Gaussian blur of the map (model pixels; 0 = none)
 * @param seed      seeds the random teacher (if any), the students' initialisation and the shuffling
 */
public record UninformedStudentsConfig(String backbone, int level, int size, int students, int width, int epochs,
        double lr, int batchSize, double sigma, long seed) implements DetectorConfig<UninformedStudents> {
    public static final String TYPE = "uninformed-students";

    public static final List<ParamSpec> SPECS = List.of(
            new ParamSpec("backbone", "backbone spec", "mobilenet_v2",
                    "teacher: mobilenet_v2:FILE.safetensors, torchscript:FILE, resnet18:FILE... (no FILE = random)"),
            new ParamSpec("level", "int >= 0", "1", "teacher level regressed (stride 4, 8 or 16)"),
            new ParamSpec("size", "int in 32..1024", "224", "model input side"),
            new ParamSpec("students", "int in 2..16", "3", "ensemble size"),
            new ParamSpec("width", "int in 4..256", "32", "channels of the students' first convolution"),
            new ParamSpec("epochs", "int >= 1", "20", "training epochs"),
            new ParamSpec("lr", "double > 0", "0.001", "Adam learning rate"),
            new ParamSpec("batch_size", "int >= 1", "8", "images per step"),
            new ParamSpec("sigma", "double >= 0", "4.0", "Gaussian blur of the map (model pixels; 0 = none)"),
            new ParamSpec("seed", "long", "0", "seeds initialisation and shuffling"));

    public UninformedStudentsConfig {
        Params.require(backbone != null && !backbone.isBlank(), "backbone", "must not be blank");
        backbone = backbone.trim();
        Params.require(level >= 0 && level < 8, "level", "must be in 0..7, got " + level);
        Params.require(size >= 32 && size <= 1024, "size", "must be in 32..1024, got " + size);
        Params.require(students >= 2 && students <= 16, "students", "must be in 2..16, got " + students);
        Params.require(width >= 4 && width <= 256, "width", "must be in 4..256, got " + width);
        Params.require(epochs >= 1, "epochs", "must be >= 1, got " + epochs);
        Params.require(lr > 0 && Double.isFinite(lr), "lr", "must be > 0, got " + lr);
        Params.require(batchSize >= 1, "batch_size", "must be >= 1, got " + batchSize);
        Params.require(sigma >= 0 && sigma <= 64, "sigma", "must be in [0, 64], got " + sigma);
    }

    /** The defaults. */
    public static UninformedStudentsConfig defaults() {
        return builder().build();
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** From string parameters (CLI, saved models). */
    public static UninformedStudentsConfig fromParameters(Map<String, String> given) {
        Params p = Params.of(given, SPECS);
        return new UninformedStudentsConfig(p.string("backbone"), p.integer("level"), p.integer("size"),
                p.integer("students"), p.integer("width"), p.integer("epochs"), p.real("lr"), p.integer("batch_size"),
                p.real("sigma"), p.longValue("seed"));
    }

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public Map<String, String> toParameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("backbone", backbone);
        m.put("level", Integer.toString(level));
        m.put("size", Integer.toString(size));
        m.put("students", Integer.toString(students));
        m.put("width", Integer.toString(width));
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
                .setEpochs(epochs).setBatchSize(batchSize).optSeed(seed + 1).build();
    }

    @Override
    public UninformedStudents fit(ImageSet normals, ProgressListener listener) {
        return UninformedStudents.fit(normals, this, listener);
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

        public Builder optLevel(int level) {
            return put("level", level);
        }

        public Builder optSize(int size) {
            return put("size", size);
        }

        public Builder optStudents(int n) {
            return put("students", n);
        }

        public Builder optWidth(int width) {
            return put("width", width);
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

        public UninformedStudentsConfig build() {
            return fromParameters(p);
        }
    }
}
