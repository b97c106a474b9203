package org.anomaly4j.tensor;

import java.util.LinkedHashMap;
import java.util.Map;

import org.anomaly4j.api.InvalidConfigException;

/**
 * Settings of {@link TrainingLoop}: optimizer, learning rate, weight decay, epochs, batch size, seed,
 * early stopping and gradient clipping. Immutable and validated; build it with {@link #builder()}.
 *
 * <p>The optimizers follow PyTorch's update rules exactly ({@code torch.optim.Adam} with betas
 * (0.9, 0.999), eps 1e-8, and {@code torch.optim.SGD} with momentum, dampening 0, no Nesterov);
 * weight decay is their coupled L2 term ({@code grad += weightDecay * w}), so hyper-parameters from a
 * PyTorch reference carry over unchanged.
 *
 * @param optimizer         ADAM or SGD
 * @param learningRate      step size (> 0)
 * @param momentum          SGD momentum in [0, 1) (ignored by Adam)
 * @param weightDecay       L2 coefficient (>= 0)
 * @param epochs            maximum number of passes over the training set (>= 1)
 * @param batchSize         samples per step (>= 1)
 * @param seed              seeds parameter initialisation ({@link TrainingLoop#initialize}), the shuffle,
 *                          the batch source's randomness and the engine's RNG (dropout)
 * @param patience          stop after this many epochs without improvement of the monitored loss
 *                          (validation loss when a validation set is given, else training loss); 0 = never
 * @param minDelta          an epoch improves only if its loss is below the best by more than this (>= 0)
 * @param gradientClipNorm  rescale all gradients together when their global L2 norm exceeds this
 *                          ({@code torch.nn.utils.clip_grad_norm_}); 0 = no clipping
 * @param dropLast          drop the last incomplete batch of each epoch (for BatchNorm with tiny remainders)
 * @param restoreBest       at the end, put back the parameters of the best epoch
 */
public record TrainingConfig(Optimizer optimizer, double learningRate, double momentum, double weightDecay, int epochs,
        int batchSize, long seed, int patience, double minDelta, double gradientClipNorm, boolean dropLast,
        boolean restoreBest) {

    /** The optimizers. */
    public enum Optimizer {
        /** {@code torch.optim.Adam}, betas (0.9, 0.999), eps 1e-8. */
        ADAM,
        /** {@code torch.optim.SGD}, optional momentum. */
        SGD
    }

    public TrainingConfig {
        if (optimizer == null) {
            throw new InvalidConfigException("optimizer", "is required (ADAM or SGD)");
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new InvalidConfigException("learningRate", "must be finite and > 0, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new InvalidConfigException("momentum", "must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new InvalidConfigException("weightDecay", "must be finite and >= 0, got " + weightDecay);
        }
        if (epochs < 1) {
            throw new InvalidConfigException("epochs", "must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new InvalidConfigException("batchSize", "must be >= 1, got " + batchSize);
        }
        if (patience < 0) {
            throw new InvalidConfigException("patience", "must be >= 0 (0 = no early stopping), got " + patience);
        }
        if (!(minDelta >= 0)) {
            throw new InvalidConfigException("minDelta", "must be >= 0, got " + minDelta);
        }
        if (!(gradientClipNorm >= 0) || !Double.isFinite(gradientClipNorm)) {
            throw new InvalidConfigException("gradientClipNorm", "must be finite and >= 0 (0 = off), got "
                    + gradientClipNorm);
        }
    }

    /** A builder; optimizer, learning rate, epochs and batch size are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The settings as text, for provenance notes and saved configs. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("optimizer", optimizer.name().toLowerCase(java.util.Locale.ROOT));
        m.put("learning_rate", Double.toString(learningRate));
        m.put("momentum", Double.toString(momentum));
        m.put("weight_decay", Double.toString(weightDecay));
        m.put("epochs", Integer.toString(epochs));
        m.put("batch_size", Integer.toString(batchSize));
        m.put("seed", Long.toString(seed));
        m.put("patience", Integer.toString(patience));
        m.put("min_delta", Double.toString(minDelta));
        m.put("gradient_clip_norm", Double.toString(gradientClipNorm));
        m.put("drop_last", Boolean.toString(dropLast));
        m.put("restore_best", Boolean.toString(restoreBest));
        return m;
    }

    /** Builds a {@link TrainingConfig}: required {@code set*}, optional {@code opt*}. */
    public static final class Builder {
        private Optimizer optimizer;
        private double learningRate = Double.NaN;
        private double momentum;
        private double weightDecay;
        private int epochs = -1;
        private int batchSize = -1;
        private long seed;
        private int patience;
        private double minDelta;
        private double gradientClipNorm;
        private boolean dropLast;
        private boolean restoreBest;

        private Builder() {
        }

        /** Required: the optimizer. */
        public Builder setOptimizer(Optimizer optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        /** Required: the learning rate. */
        public Builder setLearningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** Required: the maximum number of epochs. */
        public Builder setEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** Required: the batch size. */
        public Builder setBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** SGD momentum (default 0). */
        public Builder optMomentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /** L2 weight decay (default 0). */
        public Builder optWeightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Seed (default 0). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Early-stopping patience in epochs (default 0 = off) and the improvement that counts (default 0). */
        public Builder optEarlyStopping(int patience, double minDelta) {
            this.patience = patience;
            this.minDelta = minDelta;
            return this;
        }

        /** Global gradient-norm clipping threshold (default 0 = off). */
        public Builder optGradientClipNorm(double maxNorm) {
            this.gradientClipNorm = maxNorm;
            return this;
        }

        /** Drop each epoch's last incomplete batch (default false). */
        public Builder optDropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** Restore the best epoch's parameters at the end (default false). */
        public Builder optRestoreBest(boolean restoreBest) {
            this.restoreBest = restoreBest;
            return this;
        }

        /** The validated config. */
        public TrainingConfig build() {
            if (Double.isNaN(learningRate)) {
                throw new InvalidConfigException("learningRate", "is required");
            }
            if (epochs < 0) {
                throw new InvalidConfigException("epochs", "is required");
            }
            if (batchSize < 0) {
                throw new InvalidConfigException("batchSize", "is required");
            }
            return new TrainingConfig(optimizer, learningRate, momentum, weightDecay, epochs, batchSize, seed, patience,
                    minDelta, gradientClipNorm, dropLast, restoreBest);
        }
    }
}
