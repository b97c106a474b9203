package org.anomaly4j.density;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.ParamSpec;
import org.anomaly4j.api.Params;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.tensor.TrainingConfig;

/**
 * Configuration of {@link Flow}.
 *
 * @param features     feature spec, canonical form (the flow models these vectors; a few dozen to a few
 *                     hundred dimensions suit it: reduce larger ones with {@code pca=})
 * @param blocks       affine coupling blocks
 * @param hidden       width of each coupling block's subnetwork
 * @param clamp        soft bound of the log-scales: {@code s = clamp tanh(s' / clamp)}
 * @param epochs       training epochs
 * @param batchSize    samples per step
 * @param lr           Adam learning rate
 * @param weightDecay  Adam L2 coefficient
 * @param seed         seeds the weights, the shuffling and the feature extractor
 */
public record FlowConfig(String features, int blocks, int hidden, double clamp, int epochs, int batchSize, double lr,
        double weightDecay, long seed) implements DetectorConfig<Flow> {

    /** The registry id. */
    public static final String TYPE = "flow";

    static final List<ParamSpec> SPECS = List.of(
            new ParamSpec("features", "feature spec", "pixels:size=32,pca=64",
                    "image features, e.g. pixels:pca=50, hog:pca=64, backbone:...,pca=128 (a flow wants tens to"
                            + " hundreds of dimensions)"),
            new ParamSpec("blocks", "int 1..64", "8", "affine coupling blocks (split halves and even/odd positions in"
                    + " turn)"),
            new ParamSpec("hidden", "int 1..8192", "256", "width of each coupling block's subnetwork"),
            new ParamSpec("clamp", "double > 0", "3", "soft bound of the log-scales: s = clamp tanh(s / clamp)"),
            new ParamSpec("epochs", "int 1..10000", "40", "training epochs"),
            new ParamSpec("batch_size", "int 1..65536", "256", "samples per step"),
            new ParamSpec("lr", "double > 0", "0.001", "Adam learning rate"),
            new ParamSpec("weight_decay", "double >= 0", "1.0E-5", "Adam L2 coefficient"),
            new ParamSpec("seed", "long", "0", "seeds the weights and the shuffling"));

    public FlowConfig {
        features = ConfigSupport.features(features);
        Params.require(blocks >= 1 && blocks <= 64, "blocks", "must be in 1..64, got " + blocks);
        Params.require(hidden >= 1 && hidden <= 8192, "hidden", "must be in 1..8192, got " + hidden);
        Params.require(clamp > 0 && Double.isFinite(clamp), "clamp", "must be > 0, got " + clamp);
        Params.require(epochs >= 1 && epochs <= 10000, "epochs", "must be in 1..10000, got " + epochs);
        Params.require(batchSize >= 1 && batchSize <= 65536, "batch_size", "must be in 1..65536, got " + batchSize);
        Params.require(lr > 0 && Double.isFinite(lr), "lr", "must be > 0, got " + lr);
        Params.require(weightDecay >= 0 && Double.isFinite(weightDecay), "weight_decay",
                "must be >= 0, got " + weightDecay);
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults. */
    public static FlowConfig defaults() {
        return builder().build();
    }

    /** From string parameters (CLI, saved models). */
    public static FlowConfig fromParameters(Map<String, String> given) {
        Params p = Params.of(given, SPECS);
        return new FlowConfig(p.string("features"), p.integer("blocks"), p.integer("hidden"), p.real("clamp"),
                p.integer("epochs"), p.integer("batch_size"), p.real("lr"), p.real("weight_decay"),
                p.longValue("seed"));
    }

    /** The training loop's settings. */
    TrainingConfig training() {
        return TrainingConfig.builder().setOptimizer(TrainingConfig.Optimizer.ADAM).setLearningRate(lr)
                .optWeightDecay(weightDecay).setEpochs(epochs).setBatchSize(batchSize).optSeed(seed).build();
    }

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public Map<String, String> toParameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("features", features);
        m.put("blocks", Integer.toString(blocks));
        m.put("hidden", Integer.toString(hidden));
        m.put("clamp", ConfigSupport.number(clamp));
        m.put("epochs", Integer.toString(epochs));
        m.put("batch_size", Integer.toString(batchSize));
        m.put("lr", ConfigSupport.number(lr));
        m.put("weight_decay", ConfigSupport.number(weightDecay));
        m.put("seed", Long.toString(seed));
        return m;
    }

    @Override
    public Flow fit(ImageSet normals, ProgressListener listener) {
        return Flow.fit(normals, this, listener);
    }

    /** Builder: every parameter optional, defaults as listed by {@code anomaly4j list}. */
    public static final class Builder {
        private final Map<String, String> p = new LinkedHashMap<>();

        public Builder optFeatures(String spec) {
            p.put("features", spec);
            return this;
        }

        public Builder optBlocks(int v) {
            p.put("blocks", Integer.toString(v));
            return this;
        }

        public Builder optHidden(int v) {
            p.put("hidden", Integer.toString(v));
            return this;
        }

        public Builder optClamp(double v) {
            p.put("clamp", Double.toString(v));
            return this;
        }

        public Builder optEpochs(int v) {
            p.put("epochs", Integer.toString(v));
            return this;
        }

        public Builder optBatchSize(int v) {
            p.put("batch_size", Integer.toString(v));
            return this;
        }

        public Builder optLr(double v) {
            p.put("lr", Double.toString(v));
            return this;
        }

        public Builder optWeightDecay(double v) {
            p.put("weight_decay", Double.toString(v));
            return this;
        }

        public Builder optSeed(long v) {
            p.put("seed", Long.toString(v));
            return this;
        }

        public FlowConfig build() {
            return fromParameters(p);
        }
    }
}
