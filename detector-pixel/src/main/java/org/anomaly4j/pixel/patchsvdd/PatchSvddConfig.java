package org.anomaly4j.pixel.patchsvdd;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.ParamSpec;
import org.anomaly4j.api.Params;
import org.anomaly4j.api.Preprocessing;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.pixel.ScaleMaps;
import org.anomaly4j.tensor.TrainingConfig;

/**
 * Configuration of {@link PatchSvdd}.
 *
 * @param size             model input side (a multiple of 4, at least 64)
 * @param channels         1 (grey) or 3 (RGB) model input channels
 * @param dim              embedding dimension D
 * @param epochs           training epochs
 * @param patchesPerImage  training samples drawn per image and epoch (each: two position pairs and two
 *                         SVDD pairs, at 64 and at 32 pixels)
 * @param batchSize        samples per step
 * @param lr               Adam learning rate
 * @param lambda           weight of the SVDD loss against the position-classification loss
 * @param bankStride       pixel stride of the training embeddings kept in the memory bank (multiple of 4)
 * @param queryStride      pixel stride of the embeddings scored per test image (multiple of 4)
 * @param combine          how the 64- and 32-pixel maps combine (product as the paper, sum, mean)
 * @param sigma            Gaussian blur of the map (model pixels; 0 = none)
 * @param seed             seeds initialisation, patch sampling and shuffling
 */
public record PatchSvddConfig(int size, int channels, int dim, int epochs, int patchesPerImage, int batchSize,
        double lr, double lambda, int bankStride, int queryStride, String combine, double sigma, long seed)
        implements DetectorConfig<PatchSvdd> {
    public static final String TYPE = "patch-svdd";

    public static final List<ParamSpec> SPECS = List.of(
            new ParamSpec("size", "int in 64..1024, multiple of 4", "224", "model input side"),
            new ParamSpec("channels", "1|3", "3", "model input channels"),
            new ParamSpec("dim", "int in 1..1024", "64", "embedding dimension"),
            new ParamSpec("epochs", "int >= 1", "30", "training epochs"),
            new ParamSpec("patches_per_image", "int >= 1", "8", "training samples per image and epoch"),
            new ParamSpec("batch_size", "int >= 1", "64", "samples per step"),
            new ParamSpec("lr", "double > 0", "1.0E-4", "Adam learning rate"),
            new ParamSpec("lambda", "double >= 0", "1.0", "weight of the SVDD loss (position loss weight 1)"),
            new ParamSpec("bank_stride", "int >= 4, multiple of 4", "16", "pixel stride of the training embeddings kept"),
            new ParamSpec("query_stride", "int >= 4, multiple of 4", "8", "pixel stride of the test embeddings scored"),
            new ParamSpec("combine", "product|sum|mean", "product", "how the 64- and 32-pixel maps combine"),
            new ParamSpec("sigma", "double >= 0", "4.0", "Gaussian blur of the map (model pixels; 0 = none)"),
            new ParamSpec("seed", "long", "0", "seeds initialisation, sampling and shuffling"));

    public PatchSvddConfig {
        Params.require(size >= 64 && size <= 1024 && size % 4 == 0, "size",
                "must be a multiple of 4 in 64..1024, got " + size);
        Params.require(channels == 1 || channels == 3, "channels", "must be 1 or 3, got " + channels);
        Params.require(dim >= 1 && dim <= 1024, "dim", "must be in 1..1024, got " + dim);
        Params.require(epochs >= 1, "epochs", "must be >= 1, got " + epochs);
        Params.require(patchesPerImage >= 1, "patches_per_image", "must be >= 1, got " + patchesPerImage);
        Params.require(batchSize >= 1, "batch_size", "must be >= 1, got " + batchSize);
        Params.require(lr > 0 && Double.isFinite(lr), "lr", "must be > 0, got " + lr);
        Params.require(lambda >= 0 && Double.isFinite(lambda), "lambda", "must be >= 0, got " + lambda);
        Params.require(bankStride >= 4 && bankStride % 4 == 0, "bank_stride", "must be a multiple of 4, got " + bankStride);
        Params.require(queryStride >= 4 && queryStride % 4 == 0, "query_stride",
                "must be a multiple of 4, got " + queryStride);
        combine = ScaleMaps.Combine.parse("combine", combine == null ? "" : combine).id();
        Params.require(sigma >= 0 && sigma <= 64, "sigma", "must be in [0, 64], got " + sigma);
    }

    /** The defaults. */
    public static PatchSvddConfig defaults() {
        return builder().build();
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** From string parameters (CLI, saved models). */
    public static PatchSvddConfig fromParameters(Map<String, String> given) {
        Params p = Params.of(given, SPECS);
        return new PatchSvddConfig(p.integer("size"), p.integer("channels"), p.integer("dim"), p.integer("epochs"),
                p.integer("patches_per_image"), p.integer("batch_size"), p.real("lr"), p.real("lambda"),
                p.integer("bank_stride"), p.integer("query_stride"), p.string("combine"), p.real("sigma"),
                p.longValue("seed"));
    }

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public Map<String, String> toParameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("size", Integer.toString(size));
        m.put("channels", Integer.toString(channels));
        m.put("dim", Integer.toString(dim));
        m.put("epochs", Integer.toString(epochs));
        m.put("patches_per_image", Integer.toString(patchesPerImage));
        m.put("batch_size", Integer.toString(batchSize));
        m.put("lr", Double.toString(lr));
        m.put("lambda", Double.toString(lambda));
        m.put("bank_stride", Integer.toString(bankStride));
        m.put("query_stride", Integer.toString(queryStride));
        m.put("combine", combine);
        m.put("sigma", Double.toString(sigma));
        m.put("seed", Long.toString(seed));
        return m;
    }

    /** How inputs are brought to the model's shape. */
    public Preprocessing preprocessing() {
        return Preprocessing.resize(size, size, channels);
    }

    TrainingConfig training() {
        return TrainingConfig.builder().setOptimizer(TrainingConfig.Optimizer.ADAM).setLearningRate(lr)
                .setEpochs(epochs).setBatchSize(batchSize).optSeed(seed + 1).build();
    }

    @Override
    public PatchSvdd fit(ImageSet normals, ProgressListener listener) {
        return PatchSvdd.fit(normals, this, listener);
    }

    /** Builder: every parameter optional. */
    public static final class Builder {
        private final Map<String, String> p = new LinkedHashMap<>();

        private Builder put(String k, Object v) {
            p.put(k, String.valueOf(v));
            return this;
        }

        public Builder optSize(int size) {
            return put("size", size);
        }

        public Builder optChannels(int channels) {
            return put("channels", channels);
        }

        public Builder optDim(int dim) {
            return put("dim", dim);
        }

        public Builder optEpochs(int epochs) {
            return put("epochs", epochs);
        }

        public Builder optPatchesPerImage(int n) {
            return put("patches_per_image", n);
        }

        public Builder optBatchSize(int size) {
            return put("batch_size", size);
        }

        public Builder optLr(double lr) {
            return put("lr", lr);
        }

        public Builder optLambda(double lambda) {
            return put("lambda", lambda);
        }

        public Builder optBankStride(int stride) {
            return put("bank_stride", stride);
        }

        public Builder optQueryStride(int stride) {
            return put("query_stride", stride);
        }

        public Builder optCombine(String combine) {
            return put("combine", combine);
        }

        public Builder optSigma(double sigma) {
            return put("sigma", sigma);
        }

        public Builder optSeed(long seed) {
            return put("seed", seed);
        }

        public PatchSvddConfig build() {
            return fromParameters(p);
        }
    }
}
