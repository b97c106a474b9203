package org.anomaly4j.selfsupervised;

import java.util.ArrayList;
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
 * Configuration of the transformation classifiers ({@link TransformClassifier}), for both types:
 *
 * <ul>
 *   <li>{@value #GEOM} (Golan and El-Yaniv, "Deep anomaly detection using geometric transformations",
 *       NeurIPS 2018): one softmax head over every composed transformation (by default the paper's 72 =
 *       2 flips x 9 translations x 4 rotations); scored by the Dirichlet normality score.</li>
 *   <li>{@value #ROTNET_TRANS} (Hendrycks et al., "Using self-supervised learning can improve model
 *       robustness and uncertainty", NeurIPS 2019): the same transformations predicted by separate heads
 *       (rotation 4-way, horizontal and vertical translation 3-way each, flip 2-way when flips are on);
 *       scored by the summed negative log-probability of the true labels.</li>
 * </ul>
 *
 * <p>The defaults are the papers' transformation sets on a network small enough for a CPU: a plain
 * VGG-style CNN of width 16 and depth 3 instead of the WRN-16-8, Adam at 1e-3, batch 128, and
 * {@code epochs} passes over all (image, transformation) pairs (Golan et al. train
 * {@code ceil(200 / T)} = 3 epochs for T = 72).
 *
 * @param type           {@value #GEOM} or {@value #ROTNET_TRANS} (not a parameter: the registry id)
 * @param size           model input width and height (square: rotations need it)
 * @param channels       1 or 3
 * @param flip           include horizontal flips
 * @param shift          translation in pixels ({@code -shift, 0, +shift} in x and y); 0 = no translations
 * @param rotations      number of rotations: 1 (none), 2 (0 and 180 degrees) or 4 (multiples of 90)
 * @param padding        what translations bring in: reflect or zero
 * @param width          channels of the first stage of the CNN (doubling per stage)
 * @param depth          stages of the CNN (each halves the resolution)
 * @param epochs         passes over all (image, transformation) pairs
 * @param lr             Adam learning rate
 * @param weightDecay    L2 weight decay
 * @param batchSize      transformed images per step
 * @param trainLimit     train on at most this many images (a seeded random subset); 0 = all
 * @param score          dirichlet or logprob
 * @param dirichletLimit fit the Dirichlet distributions on at most this many training images; 0 = all
 * @param seed           seeds initialisation, the subset and shuffling
 */
public record TransformConfig(String type, int size, int channels, boolean flip, int shift, int rotations,
        Augment.Padding padding, int width, int depth, int epochs, double lr, double weightDecay, int batchSize,
        int trainLimit, String score, int dirichletLimit, long seed) implements DetectorConfig<TransformClassifier> {

    /** The registry id of GEOM. */
    public static final String GEOM = "geom";
    /** The registry id of rotation + translation with separate heads. */
    public static final String ROTNET_TRANS = "rotnet-trans";

    static List<ParamSpec> specs(String type) {
        boolean geom = type.equals(GEOM);
        List<ParamSpec> s = new ArrayList<>();
        s.add(new ParamSpec("size", "int 8..512", "32", "model input width = height; inputs are resized to it"));
        s.add(new ParamSpec("channels", "1|3", "1", "1 = grey, 3 = RGB"));
        s.add(new ParamSpec("flip", "true|false", geom ? "true" : "false", "include horizontal flips"));
        s.add(new ParamSpec("shift", "auto|int >= 0", "auto",
                "translation in pixels (-shift, 0, +shift in x and y; auto = size/4, 0 = none)"));
        s.add(new ParamSpec("rotations", "1|2|4", "4", "rotations by multiples of 360/rotations degrees"));
        s.add(new ParamSpec("padding", "reflect|zero", "reflect", "what translations bring in"));
        s.add(new ParamSpec("width", "int 1..256", "16", "CNN channels of the first stage (doubling per stage)"));
        s.add(new ParamSpec("depth", "int 1..6", "3", "CNN stages (each halves the resolution)"));
        s.add(new ParamSpec("epochs", "int >= 1", "3", "passes over all (image, transformation) pairs"));
        s.add(new ParamSpec("lr", "double > 0", "0.001", "Adam learning rate"));
        s.add(new ParamSpec("weight_decay", "double >= 0", "0.0", "L2 weight decay"));
        s.add(new ParamSpec("batch_size", "int >= 2", "128", "transformed images per step"));
        s.add(new ParamSpec("train_limit", "int >= 0", "0", "train on at most this many images (seeded subset; 0 = all)"));
        s.add(new ParamSpec("score", "dirichlet|logprob", geom ? "dirichlet" : "logprob",
                "dirichlet = Golan's Dirichlet normality score; logprob = summed log-probability of the true transformation"));
        s.add(new ParamSpec("dirichlet_limit", "int >= 0", "0",
                "fit the Dirichlet distributions on at most this many training images (0 = all)"));
        s.add(new ParamSpec("seed", "long", "0", "seeds initialisation, subset and shuffling"));
        return List.copyOf(s);
    }

    public TransformConfig {
        Params.require(GEOM.equals(type) || ROTNET_TRANS.equals(type), "type", "must be geom or rotnet-trans");
        Params.require(size >= 8 && size <= 512, "size", "must be in 8..512, got " + size);
        Params.require(channels == 1 || channels == 3, "channels", "must be 1 or 3, got " + channels);
        Params.require(shift >= 0 && shift < size, "shift", "must be in 0.." + (size - 1) + ", got " + shift);
        Params.require(rotations == 1 || rotations == 2 || rotations == 4, "rotations",
                "must be 1, 2 or 4, got " + rotations);
        Params.require(padding != null, "padding", "is required");
        Params.require(width >= 1 && width <= 256, "width", "must be in 1..256, got " + width);
        Params.require(depth >= 1 && depth <= 6, "depth", "must be in 1..6, got " + depth);
        Params.require(epochs >= 1, "epochs", "must be >= 1, got " + epochs);
        Params.require(lr > 0 && Double.isFinite(lr), "lr", "must be > 0, got " + lr);
        Params.require(weightDecay >= 0 && Double.isFinite(weightDecay), "weight_decay", "must be >= 0, got "
                + weightDecay);
        Params.require(batchSize >= 2, "batch_size", "must be >= 2 (BatchNorm), got " + batchSize);
        Params.require(trainLimit >= 0, "train_limit", "must be >= 0, got " + trainLimit);
        score = score == null ? "" : score.trim().toLowerCase(Locale.ROOT);
        Params.require(score.equals("dirichlet") || score.equals("logprob"), "score",
                "must be dirichlet or logprob, got '" + score + "'");
        Params.require(dirichletLimit >= 0, "dirichlet_limit", "must be >= 0, got " + dirichletLimit);
        if (!flip && shift == 0 && rotations == 1) {
            throw new InvalidConfigException("rotations", "no transformation left to classify: enable flip, shift "
                    + "or rotations");
        }
    }

    /** From string parameters (CLI, saved models). */
    public static TransformConfig fromParameters(String type, Map<String, String> given) {
        Params p = Params.of(given, specs(type));
        int size = p.integer("size");
        String sh = p.string("shift");
        int shift = sh.equalsIgnoreCase("auto") ? size / 4 : p.integer("shift");
        return new TransformConfig(type, size, p.integer("channels"), p.bool("flip"), shift, p.integer("rotations"),
                Augment.Padding.parse(p.string("padding"), "padding"), p.integer("width"), p.integer("depth"),
                p.integer("epochs"), p.real("lr"), p.real("weight_decay"), p.integer("batch_size"),
                p.integer("train_limit"), p.string("score"), p.integer("dirichlet_limit"), p.longValue("seed"));
    }

    /** A GEOM builder with the defaults. */
    public static Builder geom() {
        return new Builder(GEOM);
    }

    /** A rotation + translation builder with the defaults. */
    public static Builder rotationTranslation() {
        return new Builder(ROTNET_TRANS);
    }

    @Override
    public String typeId() {
        return type;
    }

    /** Whether each transformation factor has its own head (rotnet-trans) rather than one joint head. */
    public boolean separateHeads() {
        return type.equals(ROTNET_TRANS);
    }

    /** Whether scores use the Dirichlet normality score. */
    public boolean dirichlet() {
        return score.equals("dirichlet");
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
        m.put("flip", Boolean.toString(flip));
        m.put("shift", Integer.toString(shift));
        m.put("rotations", Integer.toString(rotations));
        m.put("padding", padding.id());
        m.put("width", Integer.toString(width));
        m.put("depth", Integer.toString(depth));
        m.put("epochs", Integer.toString(epochs));
        m.put("lr", Double.toString(lr));
        m.put("weight_decay", Double.toString(weightDecay));
        m.put("batch_size", Integer.toString(batchSize));
        m.put("train_limit", Integer.toString(trainLimit));
        m.put("score", score);
        m.put("dirichlet_limit", Integer.toString(dirichletLimit));
        m.put("seed", Long.toString(seed));
        return m;
    }

    @Override
    public TransformClassifier fit(ImageSet normals, ProgressListener listener) {
        return TransformClassifier.fit(normals, this, listener);
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

        /** The transformation set: flips on/off, shift in pixels (0 = none), number of rotations (1, 2, 4). */
        public Builder optTransforms(boolean flip, int shift, int rotations) {
            return set("flip", flip).set("shift", shift).set("rotations", rotations);
        }

        public Builder optNetwork(int width, int depth) {
            return set("width", width).set("depth", depth);
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

        /** {@code "dirichlet"} or {@code "logprob"}. */
        public Builder optScore(String score) {
            return set("score", score);
        }

        public Builder optSeed(long seed) {
            return set("seed", seed);
        }

        public TransformConfig build() {
            return fromParameters(type, p);
        }
    }
}
