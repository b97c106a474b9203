package org.anomaly4j.oneclass;

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
import org.anomaly4j.tensor.TrainingConfig;

/**
 * Configuration of {@link DeepSvdd}. The defaults follow Ruff et al.'s (ICML 2018) MNIST /
 * Fashion-MNIST setup where a CPU allows: 28x28 grey input with global contrast normalisation (L1)
 * and min-max scaling, the bias-free LeNet-type encoder with 8 and 4 filters of 5x5 and a
 * 32-dimensional representation, Adam at learning rate 1e-4, batch 200, weight decay 5e-7
 * (autoencoder pretraining: 5e-4), and fewer epochs than the paper's 150 + 150 (10 pretraining,
 * then 20).
 *
 * @param width               model input width (a multiple of 4)
 * @param height              model input height (a multiple of 4)
 * @param channels            1 (grey) or 3 (RGB)
 * @param inputNorm           {@code gcn}: per-image global contrast normalisation (L1) then min-max
 *                            scaling with the training set's extremes, as Ruff et al.; {@code none}:
 *                            pixel values in [0,1]
 * @param filters1            filters of the first 5x5 convolution
 * @param filters2            filters of the second 5x5 convolution
 * @param repDim              dimension of the representation (the hypersphere's space)
 * @param objective           one-class (mean squared distance to c) or soft-boundary
 * @param nu                  soft-boundary: fraction of training points allowed outside the sphere
 * @param warmupEpochs        soft-boundary: the radius is first set after this many epochs (at least
 *                            one); with fewer training epochs it stays 0 and scores are plain distances
 * @param radiusEvery         soft-boundary: after the warm-up, the radius is set to the (1-nu) quantile
 *                            of the training distances every this many epochs
 * @param pretrainEpochs      autoencoder pretraining epochs (0 = none)
 * @param pretrainLr          pretraining learning rate
 * @param pretrainWeightDecay pretraining weight decay
 * @param epochs              Deep SVDD training epochs
 * @param lr                  Deep SVDD learning rate (Adam)
 * @param weightDecay         Deep SVDD weight decay (L2, coupled as in torch.optim.Adam)
 * @param batchSize           batch size of both stages
 * @param centerEps           centre coordinates closer to 0 than this are pushed to +-centerEps
 * @param seed                seeds initialisation and shuffling
 */
public record DeepSvddConfig(int width, int height, int channels, String inputNorm, int filters1, int filters2,
        int repDim, Objective objective, double nu, int warmupEpochs, int radiusEvery, int pretrainEpochs,
        double pretrainLr, double pretrainWeightDecay, int epochs, double lr, double weightDecay, int batchSize,
        double centerEps, long seed) implements DetectorConfig<DeepSvdd> {

    /** The registry id. */
    public static final String TYPE = "deep-svdd";

    /** The two objectives of Ruff et al. */
    public enum Objective {
        /** Minimise the mean squared distance of the representations to the centre. */
        ONE_CLASS("one-class"),
        /** Minimise {@code R^2 + 1/nu mean(max(0, |z - c|^2 - R^2))}. */
        SOFT_BOUNDARY("soft-boundary");

        private final String id;

        Objective(String id) {
            this.id = id;
        }

        /** The parameter value. */
        public String id() {
            return id;
        }

        static Objective parse(String s) {
            for (Objective o : values()) {
                if (o.id.equalsIgnoreCase(s.trim())) {
                    return o;
                }
            }
            throw new InvalidConfigException("objective", "must be one-class or soft-boundary, got '" + s + "'");
        }
    }

    static final List<ParamSpec> SPECS = List.of(
            new ParamSpec("width", "int 4..1024, multiple of 4", "28", "model input width; inputs are resized to it"),
            new ParamSpec("height", "int 4..1024, multiple of 4", "28", "model input height"),
            new ParamSpec("channels", "1|3", "1", "1 = grey, 3 = RGB"),
            new ParamSpec("input_norm", "gcn|none", "gcn",
                    "gcn = per-image global contrast normalisation (L1) + min-max scaling (Ruff et al.)"),
            new ParamSpec("filters1", "int 1..512", "8", "filters of the first 5x5 convolution"),
            new ParamSpec("filters2", "int 1..512", "4", "filters of the second 5x5 convolution"),
            new ParamSpec("rep_dim", "int 1..4096", "32", "representation dimension"),
            new ParamSpec("objective", "one-class|soft-boundary", "one-class", "Deep SVDD objective"),
            new ParamSpec("nu", "double in (0,1]", "0.1", "soft-boundary: fraction of points outside the sphere"),
            new ParamSpec("warmup_epochs", "int >= 0", "10", "soft-boundary: epochs before the radius is set"),
            new ParamSpec("radius_every", "int >= 1", "1", "soft-boundary: update the radius every k epochs"),
            new ParamSpec("pretrain_epochs", "int >= 0", "10", "autoencoder pretraining epochs (0 = none)"),
            new ParamSpec("pretrain_lr", "double > 0", "1.0E-4", "pretraining learning rate (Adam)"),
            new ParamSpec("pretrain_weight_decay", "double >= 0", "5.0E-4", "pretraining weight decay"),
            new ParamSpec("epochs", "int >= 1", "20", "Deep SVDD training epochs"),
            new ParamSpec("lr", "double > 0", "1.0E-4", "learning rate (Adam)"),
            new ParamSpec("weight_decay", "double >= 0", "5.0E-7", "weight decay"),
            new ParamSpec("batch_size", "int >= 1", "200", "batch size"),
            new ParamSpec("center_eps", "double >= 0", "0.1", "centre coordinates within eps of 0 are set to +-eps"),
            new ParamSpec("seed", "long", "0", "seeds initialisation and shuffling"));

    public DeepSvddConfig {
        Params.require(width >= 4 && width <= 1024 && width % 4 == 0, "width",
                "must be a multiple of 4 in 4..1024, got " + width);
        Params.require(height >= 4 && height <= 1024 && height % 4 == 0, "height",
                "must be a multiple of 4 in 4..1024, got " + height);
        Params.require(channels == 1 || channels == 3, "channels", "must be 1 or 3, got " + channels);
        inputNorm = inputNorm == null ? "" : inputNorm.trim().toLowerCase(Locale.ROOT);
        Params.require(inputNorm.equals("gcn") || inputNorm.equals("none"), "input_norm",
                "must be gcn or none, got '" + inputNorm + "'");
        Params.require(filters1 >= 1 && filters1 <= 512, "filters1", "must be in 1..512, got " + filters1);
        Params.require(filters2 >= 1 && filters2 <= 512, "filters2", "must be in 1..512, got " + filters2);
        Params.require(repDim >= 1 && repDim <= 4096, "rep_dim", "must be in 1..4096, got " + repDim);
        Params.require(objective != null, "objective", "is required");
        Params.require(nu > 0 && nu <= 1, "nu", "must be in (0, 1], got " + nu);
        Params.require(warmupEpochs >= 0, "warmup_epochs", "must be >= 0, got " + warmupEpochs);
        Params.require(radiusEvery >= 1, "radius_every", "must be >= 1, got " + radiusEvery);
        Params.require(pretrainEpochs >= 0, "pretrain_epochs", "must be >= 0, got " + pretrainEpochs);
        Params.require(pretrainLr > 0 && Double.isFinite(pretrainLr), "pretrain_lr", "must be > 0, got " + pretrainLr);
        Params.require(pretrainWeightDecay >= 0 && Double.isFinite(pretrainWeightDecay), "pretrain_weight_decay",
                "must be >= 0, got " + pretrainWeightDecay);
        Params.require(epochs >= 1, "epochs", "must be >= 1, got " + epochs);
        Params.require(lr > 0 && Double.isFinite(lr), "lr", "must be > 0, got " + lr);
        Params.require(weightDecay >= 0 && Double.isFinite(weightDecay), "weight_decay",
                "must be >= 0, got " + weightDecay);
        Params.require(batchSize >= 1, "batch_size", "must be >= 1, got " + batchSize);
        Params.require(centerEps >= 0 && Double.isFinite(centerEps), "center_eps", "must be >= 0, got " + centerEps);
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults. */
    public static DeepSvddConfig defaults() {
        return builder().build();
    }

    /** From string parameters (CLI, saved models). */
    public static DeepSvddConfig fromParameters(Map<String, String> given) {
        Params p = Params.of(given, SPECS);
        return new DeepSvddConfig(p.integer("width"), p.integer("height"), p.integer("channels"),
                p.string("input_norm"), p.integer("filters1"), p.integer("filters2"), p.integer("rep_dim"),
                Objective.parse(p.string("objective")), p.real("nu"), p.integer("warmup_epochs"),
                p.integer("radius_every"), p.integer("pretrain_epochs"), p.real("pretrain_lr"),
                p.real("pretrain_weight_decay"), p.integer("epochs"), p.real("lr"), p.real("weight_decay"),
                p.integer("batch_size"), p.real("center_eps"), p.longValue("seed"));
    }

    @Override
    public String typeId() {
        return TYPE;
    }

    /** How inputs are brought to the model's shape. */
    public Preprocessing preprocessing() {
        return Preprocessing.resize(width, height, channels);
    }

    /** Whether inputs are contrast-normalised. */
    public boolean gcn() {
        return inputNorm.equals("gcn");
    }

    TrainingConfig pretraining() {
        return TrainingConfig.builder().setOptimizer(TrainingConfig.Optimizer.ADAM).setLearningRate(pretrainLr)
                .optWeightDecay(pretrainWeightDecay).setEpochs(Math.max(1, pretrainEpochs)).setBatchSize(batchSize)
                .optSeed(seed).build();
    }

    TrainingConfig training() {
        return TrainingConfig.builder().setOptimizer(TrainingConfig.Optimizer.ADAM).setLearningRate(lr)
                .optWeightDecay(weightDecay).setEpochs(epochs).setBatchSize(batchSize).optSeed(seed + 1).build();
    }

    @Override
    public Map<String, String> toParameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("width", Integer.toString(width));
        m.put("height", Integer.toString(height));
        m.put("channels", Integer.toString(channels));
        m.put("input_norm", inputNorm);
        m.put("filters1", Integer.toString(filters1));
        m.put("filters2", Integer.toString(filters2));
        m.put("rep_dim", Integer.toString(repDim));
        m.put("objective", objective.id());
        m.put("nu", Double.toString(nu));
        m.put("warmup_epochs", Integer.toString(warmupEpochs));
        m.put("radius_every", Integer.toString(radiusEvery));
        m.put("pretrain_epochs", Integer.toString(pretrainEpochs));
        m.put("pretrain_lr", Double.toString(pretrainLr));
        m.put("pretrain_weight_decay", Double.toString(pretrainWeightDecay));
        m.put("epochs", Integer.toString(epochs));
        m.put("lr", Double.toString(lr));
        m.put("weight_decay", Double.toString(weightDecay));
        m.put("batch_size", Integer.toString(batchSize));
        m.put("center_eps", Double.toString(centerEps));
        m.put("seed", Long.toString(seed));
        return m;
    }

    @Override
    public DeepSvdd fit(ImageSet normals, ProgressListener listener) {
        return DeepSvdd.fit(normals, this, listener);
    }

    /** Builder: every parameter optional, defaults as listed by {@code anomaly4j list}. */
    public static final class Builder {
        private final Map<String, String> p = new LinkedHashMap<>();

        private Builder put(String k, Object v) {
            p.put(k, String.valueOf(v));
            return this;
        }

        public Builder optSize(int width, int height) {
            return put("width", width).put("height", height);
        }

        public Builder optChannels(int channels) {
            return put("channels", channels);
        }

        /** {@code "gcn"} or {@code "none"}. */
        public Builder optInputNorm(String norm) {
            return put("input_norm", norm);
        }

        public Builder optFilters(int first, int second) {
            return put("filters1", first).put("filters2", second);
        }

        public Builder optRepDim(int dim) {
            return put("rep_dim", dim);
        }

        public Builder optObjective(Objective o) {
            return put("objective", o.id());
        }

        public Builder optNu(double nu) {
            return put("nu", nu);
        }

        public Builder optWarmupEpochs(int epochs) {
            return put("warmup_epochs", epochs);
        }

        public Builder optRadiusEvery(int epochs) {
            return put("radius_every", epochs);
        }

        public Builder optPretrainEpochs(int epochs) {
            return put("pretrain_epochs", epochs);
        }

        public Builder optPretrainLr(double lr) {
            return put("pretrain_lr", lr);
        }

        public Builder optPretrainWeightDecay(double wd) {
            return put("pretrain_weight_decay", wd);
        }

        public Builder optEpochs(int epochs) {
            return put("epochs", epochs);
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

        public Builder optCenterEps(double eps) {
            return put("center_eps", eps);
        }

        public Builder optSeed(long seed) {
            return put("seed", seed);
        }

        public DeepSvddConfig build() {
            return fromParameters(p);
        }
    }
}
