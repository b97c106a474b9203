package org.anomaly4j.reconstruction;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidConfigException;
import org.anomaly4j.api.ParamSpec;
import org.anomaly4j.api.Params;
import org.anomaly4j.api.Preprocessing;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.tensor.TrainingConfig;

/**
 * The immutable, validated configuration of every reconstruction detector: the {@link Method} (the
 * registry id) and its parameters, checked against the method's {@link ParamSpec}s. Parameters
 * every method shares: input size and channels, the network's width ({@code filters}), code size
 * ({@code latent}) and depth (number of stride-2 stages; 0 = until the feature map is at most 8
 * pixels on its shorter side), Adam training settings, the seed, the map smoothing and the image
 * score. Each method adds its own (see {@code anomaly4j list}).
 *
 * <pre>{@code
 * ReconstructionConfig c = ReconstructionConfig.builder(Method.AE).put("loss", "ssim").optSize(64, 64)
 *         .optChannels(1).optEpochs(20).build();
 * try (ReconstructionDetector d = c.fit(normals)) { ... }
 * }</pre>
 */
public final class ReconstructionConfig implements DetectorConfig<ReconstructionDetector> {

    /** The reconstruction methods (survey sections III-C and IV-A). */
    public enum Method {
        /** Convolutional autoencoder, L2 or SSIM loss and residual (Bergmann et al.). */
        AE("ae", "mean"),
        /** Variational autoencoder, reconstruction probability (An &amp; Cho), gradient attention map (Liu et al.). */
        VAE("vae", "mean"),
        /** Memory-augmented autoencoder with hard shrinkage (Gong et al.). */
        MEMAE("memae", "mean"),
        /** GANomaly: encoder-decoder-encoder with a discriminator, latent distance score (Akcay et al.). */
        GANOMALY("ganomaly", "native"),
        /** f-AnoGAN: GAN then a trained encoder (izif), Schlegl et al. 2019. */
        FANOGAN("f-anogan", "native"),
        /** AnoGAN: GAN then a latent search by gradient descent per image, Schlegl et al. 2017. */
        ANOGAN("anogan", "native"),
        /** Restoration of degraded inputs (grey-scale, rotation, patch shuffling), Fei et al. / Puzzle-AE. */
        RESTORATION("restoration", "mean"),
        /** RIAD: inpainting with multi-scale random masks (Zavrtanik et al.). */
        RIAD("riad", "max"),
        /** ALOCC: reconstructor plus discriminator (Sabokrou et al.), optionally stabilised (Zaheer et al.). */
        ALOCC("alocc", "native");

        private final String id;
        private final String defaultImageScore;

        Method(String id, String defaultImageScore) {
            this.id = id;
            this.defaultImageScore = defaultImageScore;
        }

        /** The registry id. */
        public String id() {
            return id;
        }

        /** The method with this registry id. */
        public static Method of(String id) {
            for (Method m : values()) {
                if (m.id.equals(id)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown reconstruction method '" + id + "'");
        }
    }

    private static List<ParamSpec> common(Method m) {
        List<ParamSpec> s = new ArrayList<>(List.of(
                new ParamSpec("width", "int 8..1024", "64", "model input width; inputs are resized to it"),
                new ParamSpec("height", "int 8..1024", "64", "model input height"),
                new ParamSpec("channels", "1|3", "3", "1 = grey, 3 = RGB"),
                new ParamSpec("blur", "double in [0,64]", "0.0",
                        "tone step: Gaussian blur of the resized input, sigma in model pixels (0 = none)"),
                new ParamSpec("power", "double in (0,16]", "1.0",
                        "tone step: every input value raised to this power after the blur (0.5 = square root; 1 = none)"),
                new ParamSpec("filters", "int 1..256", "32", "filters of the first convolution (doubling per stage, at most 8x)"),
                new ParamSpec("latent", "int 1..4096", "100", "code size of the bottleneck"),
                new ParamSpec("depth", "int 0..8", "0", "stride-2 stages; 0 = until the feature map is <= 8 px (size must be "
                        + "divisible by 2^depth)"),
                new ParamSpec("epochs", "int >= 1", "30", "training epochs"),
                new ParamSpec("lr", "double > 0", "1.0E-3", "learning rate (Adam)"),
                new ParamSpec("weight_decay", "double >= 0", "0.0", "L2 weight decay"),
                new ParamSpec("batch_size", "int >= 1", "32", "batch size"),
                new ParamSpec("map_sigma", "double >= 0", "2.0", "Gaussian smoothing of the map, in model pixels (0 = none)"),
                new ParamSpec("image_score", "native|mean|max", m.defaultImageScore,
                        "image score: the method's own (native), the mean or the maximum of the smoothed map"),
                new ParamSpec("seed", "long", "0", "seeds initialisation, shuffling, noise and masks")));
        switch (m) {
            case AE -> s.add(new ParamSpec("loss", "l2|ssim", "l2", "training loss and residual map: squared error or 1 - SSIM"));
            case VAE -> {
                s.add(new ParamSpec("mc_samples", "int 1..256", "10", "Monte Carlo samples of the reconstruction probability"));
                s.add(new ParamSpec("kl_weight", "double >= 0", "1.0", "weight of the KL term (beta)"));
                s.add(new ParamSpec("map", "recon|attention", "recon",
                        "map: per-pixel reconstruction log-probability, or the gradient-based attention map (Liu et al.)"));
            }
            case MEMAE -> {
                s.add(new ParamSpec("mem_slots", "int 2..10000", "100", "memory items N"));
                s.add(new ParamSpec("shrink", "double in [0,N)", "1.0", "hard-shrinkage threshold, in units of 1/N"));
                s.add(new ParamSpec("entropy_weight", "double >= 0", "2.0E-4", "weight of the addressing entropy loss"));
            }
            case GANOMALY -> {
                s.add(new ParamSpec("w_adv", "double >= 0", "1.0", "adversarial (feature matching) weight"));
                s.add(new ParamSpec("w_rec", "double >= 0", "50.0", "reconstruction (L1) weight"));
                s.add(new ParamSpec("w_enc", "double >= 0", "1.0", "latent consistency weight"));
            }
            case FANOGAN, ANOGAN -> {
                s.add(new ParamSpec("encoder_epochs", "int >= 0", "0", "f-AnoGAN encoder epochs (0 = same as epochs)"));
                s.add(new ParamSpec("kappa", "double >= 0", "1.0", "weight of the discriminator-feature residual"));
                if (m == Method.ANOGAN) {
                    s.add(new ParamSpec("search_steps", "int 1..5000", "100", "gradient steps of the latent search"));
                    s.add(new ParamSpec("search_lr", "double > 0", "0.05", "Adam step of the latent search"));
                }
            }
            case RESTORATION -> s.add(new ParamSpec("degrade", "list of grey|rotate|shuffle", "rotate,shuffle",
                    "degradations the network learns to undo (grey needs 3 channels); scoring applies each and averages"));
            case RIAD -> {
                s.add(new ParamSpec("mask_sizes", "list of int", "2,4,8,16", "mask cell sizes in model pixels (a size that does not divide the input leaves smaller cells at the edge)"));
                s.add(new ParamSpec("mask_splits", "int 2..16", "3", "disjoint masks per cell size (each cell is hidden once)"));
            }
            case ALOCC -> {
                s.add(new ParamSpec("noise", "double >= 0", "0.155", "std of the Gaussian noise added to the reconstructor's input"));
                s.add(new ParamSpec("w_rec", "double >= 0", "0.4", "weight of the reconstruction loss"));
                s.add(new ParamSpec("stabilised", "true|false", "false",
                        "Zaheer et al.: score with the reconstructor saved halfway (old) and the final discriminator"));
            }
            default -> throw new AssertionError(m);
        }
        return List.copyOf(s);
    }

    private static final Map<Method, List<ParamSpec>> SPECS = new LinkedHashMap<>();

    static {
        for (Method m : Method.values()) {
            SPECS.put(m, common(m));
        }
    }

    private final Method method;
    private final Map<String, String> values;
    private final Params params;

    private ReconstructionConfig(Method method, Map<String, String> given) {
        this.method = Objects.requireNonNull(method, "method");
        Params p = Params.of(given, SPECS.get(method));
        Map<String, String> canon = new LinkedHashMap<>();
        for (ParamSpec s : SPECS.get(method)) {
            canon.put(s.name(), p.string(s.name()));
        }
        this.params = p;
        this.values = Collections.unmodifiableMap(canon);
        validate();
    }

    /** The parameters of a method, with defaults. */
    public static List<ParamSpec> specs(Method m) {
        return SPECS.get(m);
    }

    /** From string parameters (CLI, saved models); missing ones take their defaults. */
    public static ReconstructionConfig fromParameters(Method method, Map<String, String> given) {
        return new ReconstructionConfig(method, given);
    }

    /** The defaults of a method. */
    public static ReconstructionConfig defaults(Method method) {
        return builder(method).build();
    }

    /** A builder with the defaults of {@code method}. */
    public static Builder builder(Method method) {
        return new Builder(method);
    }

    private void validate() {
        int w = width();
        int h = height();
        Params.require(w >= 8 && w <= 1024, "width", "must be in 8..1024, got " + w);
        Params.require(h >= 8 && h <= 1024, "height", "must be in 8..1024, got " + h);
        Params.require(channels() == 1 || channels() == 3, "channels", "must be 1 or 3, got " + channels());
        Params.require(filters() >= 1 && filters() <= 256, "filters", "must be in 1..256, got " + filters());
        Params.require(latent() >= 1 && latent() <= 4096, "latent", "must be in 1..4096, got " + latent());
        int d = params.integer("depth");
        Params.require(d >= 0 && d <= 8, "depth", "must be in 0..8, got " + d);
        int depth = depth();
        Params.require(depth >= 1, "width", "image " + w + "x" + h + " is too small for a stride-2 stage");
        int unit = 1 << depth;
        Params.require(w % unit == 0, "width", "must be divisible by 2^depth = " + unit + ", got " + w);
        Params.require(h % unit == 0, "height", "must be divisible by 2^depth = " + unit + ", got " + h);
        Params.require(epochs() >= 1, "epochs", "must be >= 1, got " + epochs());
        Params.require(lr() > 0 && Double.isFinite(lr()), "lr", "must be > 0, got " + lr());
        Params.require(weightDecay() >= 0 && Double.isFinite(weightDecay()), "weight_decay", "must be >= 0, got "
                + weightDecay());
        Params.require(batchSize() >= 1, "batch_size", "must be >= 1, got " + batchSize());
        Params.require(mapSigma() >= 0 && mapSigma() <= 64, "map_sigma", "must be in [0, 64], got " + mapSigma());
        preprocessing(); // validates blur and power
        String is = imageScore();
        Params.require(is.equals("native") || is.equals("mean") || is.equals("max"), "image_score",
                "must be native, mean or max, got '" + is + "'");
        params.longValue("seed");
        switch (method) {
            case AE -> Params.require(loss().equals("l2") || loss().equals("ssim"), "loss",
                    "must be l2 or ssim, got '" + loss() + "'");
            case VAE -> {
                Params.require(integer("mc_samples") >= 1 && integer("mc_samples") <= 256, "mc_samples",
                        "must be in 1..256, got " + integer("mc_samples"));
                Params.require(real("kl_weight") >= 0, "kl_weight", "must be >= 0, got " + real("kl_weight"));
                String map = string("map");
                Params.require(map.equals("recon") || map.equals("attention"), "map",
                        "must be recon or attention, got '" + map + "'");
            }
            case MEMAE -> {
                int n = integer("mem_slots");
                Params.require(n >= 2 && n <= 10000, "mem_slots", "must be in 2..10000, got " + n);
                Params.require(real("shrink") >= 0 && real("shrink") < n, "shrink", "must be in [0, mem_slots), got "
                        + real("shrink"));
                Params.require(real("entropy_weight") >= 0, "entropy_weight", "must be >= 0");
            }
            case GANOMALY -> {
                for (String k : List.of("w_adv", "w_rec", "w_enc")) {
                    Params.require(real(k) >= 0 && Double.isFinite(real(k)), k, "must be >= 0, got " + real(k));
                }
            }
            case FANOGAN, ANOGAN -> {
                Params.require(integer("encoder_epochs") >= 0, "encoder_epochs", "must be >= 0");
                Params.require(real("kappa") >= 0, "kappa", "must be >= 0, got " + real("kappa"));
                if (method == Method.ANOGAN) {
                    int st = integer("search_steps");
                    Params.require(st >= 1 && st <= 5000, "search_steps", "must be in 1..5000, got " + st);
                    Params.require(real("search_lr") > 0, "search_lr", "must be > 0, got " + real("search_lr"));
                }
            }
            case RESTORATION -> {
                List<String> dg = degradations();
                Params.require(!dg.isEmpty(), "degrade", "must name at least one of grey, rotate, shuffle");
                for (String g : dg) {
                    Params.require(g.equals("grey") || g.equals("rotate") || g.equals("shuffle"), "degrade",
                            "unknown degradation '" + g + "' (grey, rotate, shuffle)");
                }
                Params.require(!dg.contains("grey") || channels() == 3, "degrade", "grey needs channels=3");
                Params.require(!dg.contains("rotate") || w == h, "degrade", "rotate needs a square input");
                Params.require(!dg.contains("shuffle") || (w % 4 == 0 && h % 4 == 0), "degrade",
                        "shuffle needs a size divisible by 4");
            }
            case RIAD -> {
                int[] sizes = maskSizes();
                Params.require(sizes.length > 0, "mask_sizes", "must list at least one size");
                for (int k : sizes) {
                    Params.require(k >= 1 && k <= Math.min(w, h), "mask_sizes",
                            "size " + k + " must be in 1.." + Math.min(w, h) + " (the input is " + w + "x" + h + ")");
                }
                int sp = integer("mask_splits");
                Params.require(sp >= 2 && sp <= 16, "mask_splits", "must be in 2..16, got " + sp);
            }
            case ALOCC -> {
                Params.require(real("noise") >= 0, "noise", "must be >= 0, got " + real("noise"));
                Params.require(real("w_rec") >= 0, "w_rec", "must be >= 0, got " + real("w_rec"));
                params.bool("stabilised");
            }
            default -> throw new AssertionError(method);
        }
    }

    /** The method. */
    public Method method() {
        return method;
    }

    @Override
    public String typeId() {
        return method.id();
    }

    @Override
    public Map<String, String> toParameters() {
        return new LinkedHashMap<>(values);
    }

    @Override
    public ReconstructionDetector fit(ImageSet normals, ProgressListener listener) {
        return ReconstructionDetector.fit(normals, this, listener);
    }

    /** How inputs are brought to the model's shape. */
    public Preprocessing preprocessing() {
        return Preprocessing.resize(width(), height(), channels()).withTone(real("blur"), real("power"));
    }

    String string(String k) {
        return params.string(k).toLowerCase(Locale.ROOT);
    }

    int integer(String k) {
        return params.integer(k);
    }

    double real(String k) {
        double v = params.real(k);
        if (!Double.isFinite(v)) {
            throw new InvalidConfigException(k, "must be finite, got " + v);
        }
        return v;
    }

    boolean bool(String k) {
        return params.bool(k);
    }

    public int width() {
        return params.integer("width");
    }

    public int height() {
        return params.integer("height");
    }

    public int channels() {
        return params.integer("channels");
    }

    public int filters() {
        return params.integer("filters");
    }

    public int latent() {
        return params.integer("latent");
    }

    /** The number of stride-2 stages (resolved when {@code depth=0}). */
    public int depth() {
        int d = params.integer("depth");
        if (d > 0) {
            return d;
        }
        int side = Math.min(width(), height());
        int k = 0;
        while (side > 8 && side % 2 == 0) {
            side /= 2;
            k++;
        }
        return Math.max(k, side % 2 == 0 ? 1 : k);
    }

    public int epochs() {
        return params.integer("epochs");
    }

    public double lr() {
        return real("lr");
    }

    public double weightDecay() {
        return real("weight_decay");
    }

    public int batchSize() {
        return params.integer("batch_size");
    }

    public double mapSigma() {
        return real("map_sigma");
    }

    public String imageScore() {
        return string("image_score");
    }

    public long seed() {
        return params.longValue("seed");
    }

    /** AE: l2 or ssim. */
    public String loss() {
        return method == Method.AE ? string("loss") : "l2";
    }

    List<String> degradations() {
        List<String> out = new ArrayList<>();
        for (String s : string("degrade").split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    int[] maskSizes() {
        String[] parts = string("mask_sizes").split(",");
        List<Integer> out = new ArrayList<>();
        for (String s : parts) {
            if (s.isBlank()) {
                continue;
            }
            try {
                out.add(Integer.parseInt(s.trim()));
            } catch (NumberFormatException e) {
                throw new InvalidConfigException("mask_sizes", "not an integer: '" + s + "'");
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The Adam settings of one training stage. */
    TrainingConfig training(int epochs, long seedOffset) {
        return TrainingConfig.builder().setOptimizer(TrainingConfig.Optimizer.ADAM).setLearningRate(lr())
                .optWeightDecay(weightDecay()).setEpochs(epochs).setBatchSize(batchSize()).optSeed(seed() + seedOffset)
                .optDropLast(true).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReconstructionConfig c && c.method == method && c.values.equals(values);
    }

    @Override
    public int hashCode() {
        return method.hashCode() * 31 + values.hashCode();
    }

    @Override
    public String toString() {
        return method.id() + values;
    }

    /** Builder: every parameter optional; {@link #put} sets any of the method's parameters. */
    public static final class Builder {
        private final Method method;
        private final Map<String, String> p = new LinkedHashMap<>();

        private Builder(Method method) {
            this.method = Objects.requireNonNull(method, "method");
        }

        /** Sets a parameter by name (see {@link ReconstructionConfig#specs}). */
        public Builder put(String name, Object value) {
            p.put(name, String.valueOf(value));
            return this;
        }

        public Builder optSize(int width, int height) {
            return put("width", width).put("height", height);
        }

        public Builder optChannels(int channels) {
            return put("channels", channels);
        }

        /** The tone step: Gaussian blur (sigma, model pixels; 0 = none), then values raised to {@code power}. */
        public Builder optTone(double blur, double power) {
            return put("blur", blur).put("power", power);
        }

        public Builder optFilters(int filters) {
            return put("filters", filters);
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

        public Builder optSeed(long seed) {
            return put("seed", seed);
        }

        public ReconstructionConfig build() {
            return new ReconstructionConfig(method, p);
        }
    }
}
