package org.anomaly4j.selfsupervised;

import java.util.ArrayList;
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
 * Configuration of the contrastive detectors ({@link Contrastive}), for both types:
 *
 * <ul>
 *   <li>{@value #CSI} (Tack et al., "CSI: novelty detection via contrastive learning on distributionally
 *       shifted instances", NeurIPS 2020): SimCLR where the rotated copies of every image are further
 *       instances (negatives of each other), plus a head classifying the rotation; score
 *       {@code sum_k w_k max_m <z(R_k x), z_m^k / |z_m^k|> + v_k logit_k(R_k x)}, i.e. the cosine
 *       similarity to the nearest training image times the feature norm, and the rotation logit, each
 *       rotation weighted by the inverse of its training mean.</li>
 *   <li>{@value #SSD} (Sehwag et al., "SSD: a unified framework for self-supervised outlier
 *       detection", ICLR 2021): plain SimCLR; the normalised encoder features of the training images
 *       are clustered by k-means and the score is the smallest Mahalanobis distance to a cluster.</li>
 * </ul>
 *
 * <p>Augmentations (SimCLR's, run in batches on tensors by {@link Augment}): random resized crop with
 * area in {@code [crop_scale, 1]} and horizontal flip, then colour jitter (brightness, contrast,
 * saturation) with probability 0.8 and greyscale with probability 0.2 on RGB inputs. The defaults are
 * the papers' (temperature 0.5, 128-d projection) on a CPU-sized VGG-style CNN.
 *
 * @param type        {@value #CSI} or {@value #SSD} (the registry id, not a parameter)
 * @param size        model input width and height
 * @param channels    1 or 3
 * @param width       CNN channels of the first stage (doubling per stage)
 * @param depth       CNN stages
 * @param projDim     dimension of the projection head's output
 * @param temperature NT-Xent temperature
 * @param cropScale   smallest crop area fraction
 * @param jitter      colour jitter strength (0 = none)
 * @param shiftWeight CSI: weight of the rotation-classification loss
 * @param clusters    SSD: k-means clusters
 * @param epochs      passes over the training images
 * @param lr          Adam learning rate
 * @param weightDecay L2 weight decay
 * @param batchSize   images per step (each gives 2 views, times 4 rotations for CSI)
 * @param trainLimit  train on at most this many images (seeded subset); 0 = all
 * @param bankLimit   keep the features of at most this many training images for scoring; 0 = all
 * @param seed        seeds initialisation, augmentations and shuffling
 */
public record ContrastiveConfig(String type, int size, int channels, int width, int depth, int projDim,
        double temperature, double cropScale, double jitter, double shiftWeight, int clusters, int epochs, double lr,
        double weightDecay, int batchSize, int trainLimit, int bankLimit, long seed)
        implements DetectorConfig<Contrastive> {

    /** The registry id of CSI. */
    public static final String CSI = "csi";
    /** The registry id of SSD. */
    public static final String SSD = "ssd";
    /** CSI's shifting transformations: the four rotations. */
    static final int SHIFTS = 4;

    static List<ParamSpec> specs(String type) {
        boolean csi = type.equals(CSI);
        List<ParamSpec> s = new ArrayList<>();
        s.add(new ParamSpec("size", "int 8..512", "32", "model input width = height; inputs are resized to it"));
        s.add(new ParamSpec("channels", "1|3", "1", "1 = grey, 3 = RGB"));
        s.add(new ParamSpec("width", "int 1..256", "16", "CNN channels of the first stage (doubling per stage)"));
        s.add(new ParamSpec("depth", "int 1..6", "3", "CNN stages (each halves the resolution)"));
        s.add(new ParamSpec("proj_dim", "int 1..2048", "128", "projection head output dimension"));
        s.add(new ParamSpec("temperature", "double > 0", "0.5", "NT-Xent temperature"));
        s.add(new ParamSpec("crop_scale", "double in (0,1]", "0.5", "smallest random-crop area fraction"));
        s.add(new ParamSpec("jitter", "double in [0,1)", "0.4", "colour jitter strength (0 = none)"));
        if (csi) {
            s.add(new ParamSpec("shift_weight", "double >= 0", "1.0", "weight of the rotation-classification loss"));
        } else {
            s.add(new ParamSpec("clusters", "int >= 1", "1", "k-means clusters of the training features"));
        }
        s.add(new ParamSpec("epochs", "int >= 1", "20", "passes over the training images"));
        s.add(new ParamSpec("lr", "double > 0", "0.001", "Adam learning rate"));
        s.add(new ParamSpec("weight_decay", "double >= 0", "1.0E-6", "L2 weight decay"));
        s.add(new ParamSpec("batch_size", "int >= 2", csi ? "32" : "64",
                "images per step (2 views each" + (csi ? ", times 4 rotations)" : ")")));
        s.add(new ParamSpec("train_limit", "int >= 0", "0", "train on at most this many images (seeded subset; 0 = all)"));
        s.add(new ParamSpec("bank_limit", "int >= 0", "0",
                "features of at most this many training images are kept for scoring (0 = all)"));
        s.add(new ParamSpec("seed", "long", "0", "seeds initialisation, augmentations and shuffling"));
        return List.copyOf(s);
    }

    public ContrastiveConfig {
        Params.require(CSI.equals(type) || SSD.equals(type), "type", "must be csi or ssd");
        Params.require(size >= 8 && size <= 512, "size", "must be in 8..512, got " + size);
        Params.require(channels == 1 || channels == 3, "channels", "must be 1 or 3, got " + channels);
        Params.require(width >= 1 && width <= 256, "width", "must be in 1..256, got " + width);
        Params.require(depth >= 1 && depth <= 6, "depth", "must be in 1..6, got " + depth);
        Params.require(projDim >= 1 && projDim <= 2048, "proj_dim", "must be in 1..2048, got " + projDim);
        Params.require(temperature > 0 && Double.isFinite(temperature), "temperature", "must be > 0, got "
                + temperature);
        Params.require(cropScale > 0 && cropScale <= 1, "crop_scale", "must be in (0, 1], got " + cropScale);
        Params.require(jitter >= 0 && jitter < 1, "jitter", "must be in [0, 1), got " + jitter);
        Params.require(shiftWeight >= 0 && Double.isFinite(shiftWeight), "shift_weight", "must be >= 0, got "
                + shiftWeight);
        Params.require(clusters >= 1, "clusters", "must be >= 1, got " + clusters);
        Params.require(epochs >= 1, "epochs", "must be >= 1, got " + epochs);
        Params.require(lr > 0 && Double.isFinite(lr), "lr", "must be > 0, got " + lr);
        Params.require(weightDecay >= 0 && Double.isFinite(weightDecay), "weight_decay", "must be >= 0, got "
                + weightDecay);
        Params.require(batchSize >= 2, "batch_size", "must be >= 2, got " + batchSize);
        Params.require(trainLimit >= 0, "train_limit", "must be >= 0, got " + trainLimit);
        Params.require(bankLimit >= 0, "bank_limit", "must be >= 0, got " + bankLimit);
    }

    /** From string parameters (CLI, saved models). */
    public static ContrastiveConfig fromParameters(String type, Map<String, String> given) {
        Params p = Params.of(given, specs(type));
        boolean csi = CSI.equals(type);
        return new ContrastiveConfig(type, p.integer("size"), p.integer("channels"), p.integer("width"),
                p.integer("depth"), p.integer("proj_dim"), p.real("temperature"), p.real("crop_scale"),
                p.real("jitter"), csi ? p.real("shift_weight") : 0, csi ? 1 : p.integer("clusters"), p.integer("epochs"),
                p.real("lr"), p.real("weight_decay"), p.integer("batch_size"), p.integer("train_limit"),
                p.integer("bank_limit"), p.longValue("seed"));
    }

    /** A CSI builder with the defaults. */
    public static Builder csi() {
        return new Builder(CSI);
    }

    /** An SSD builder with the defaults. */
    public static Builder ssd() {
        return new Builder(SSD);
    }

    @Override
    public String typeId() {
        return type;
    }

    /** Whether rotations are shifted instances (CSI). */
    public boolean shifted() {
        return type.equals(CSI);
    }

    /** Rotations per image in training and scoring: 4 for CSI, 1 for SSD. */
    int shifts() {
        return shifted() ? SHIFTS : 1;
    }

    /** How inputs are brought to the model's shape. */
    public Preprocessing preprocessing() {
        return Preprocessing.resize(size, size, channels);
    }

    TrainingConfig training() {
        return TrainingConfig.builder().setOptimizer(TrainingConfig.Optimizer.ADAM).setLearningRate(lr)
                .optWeightDecay(weightDecay).setEpochs(epochs).setBatchSize(batchSize).optDropLast(true)
                .optSeed(seed + 1).build();
    }

    @Override
    public Map<String, String> toParameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("size", Integer.toString(size));
        m.put("channels", Integer.toString(channels));
        m.put("width", Integer.toString(width));
        m.put("depth", Integer.toString(depth));
        m.put("proj_dim", Integer.toString(projDim));
        m.put("temperature", Double.toString(temperature));
        m.put("crop_scale", Double.toString(cropScale));
        m.put("jitter", Double.toString(jitter));
        if (shifted()) {
            m.put("shift_weight", Double.toString(shiftWeight));
        } else {
            m.put("clusters", Integer.toString(clusters));
        }
        m.put("epochs", Integer.toString(epochs));
        m.put("lr", Double.toString(lr));
        m.put("weight_decay", Double.toString(weightDecay));
        m.put("batch_size", Integer.toString(batchSize));
        m.put("train_limit", Integer.toString(trainLimit));
        m.put("bank_limit", Integer.toString(bankLimit));
        m.put("seed", Long.toString(seed));
        return m;
    }

    @Override
    public Contrastive fit(ImageSet normals, ProgressListener listener) {
        return Contrastive.fit(normals, this, listener);
    }

    /** Builder: every parameter optional; {@link #set} takes any parameter by name. */
    public static final class Builder {
        private final String type;
        private final Map<String, String> p = new LinkedHashMap<>();

        private Builder(String type) {
            this.type = type;
        }

        /** Any parameter by its name (as {@code anomaly4j list} shows it). */
        public Builder set(String name, Object value) {
            p.put(name, String.valueOf(value));
            return this;
        }

        public Builder optSize(int size) {
            return set("size", size);
        }

        public Builder optChannels(int channels) {
            return set("channels", channels);
        }

        public Builder optNetwork(int width, int depth, int projDim) {
            return set("width", width).set("depth", depth).set("proj_dim", projDim);
        }

        public Builder optEpochs(int epochs) {
            return set("epochs", epochs);
        }

        public Builder optLr(double lr) {
            return set("lr", lr);
        }

        public Builder optBatchSize(int batchSize) {
            return set("batch_size", batchSize);
        }

        public Builder optTrainLimit(int images) {
            return set("train_limit", images);
        }

        public Builder optSeed(long seed) {
            return set("seed", seed);
        }

        public ContrastiveConfig build() {
            return fromParameters(type, p);
        }
    }
}
