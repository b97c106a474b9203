package org.anomaly4j.reconstruction;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.anomaly4j.api.Detector;
import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.DetectorProvider;
import org.anomaly4j.api.ParamSpec;
import org.anomaly4j.io.ModelArchive;
import org.anomaly4j.reconstruction.ReconstructionConfig.Method;

/**
 * Registers one reconstruction {@link Method} with {@link org.anomaly4j.api.Detectors}; one small
 * subclass per method (ServiceLoader needs a public no-argument constructor each). The demo fits
 * every method at 32x32 with a tiny network for 4 epochs:
 * a smoke run, not a benchmark.
 */
public abstract class ReconstructionProvider implements DetectorProvider {
    private final Method method;
    private final String description;

    protected ReconstructionProvider(Method method, String description) {
        this.method = method;
        this.description = description;
    }

    @Override
    public String typeId() {
        return method.id();
    }

    @Override
    public String family() {
        return "reconstruction";
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<ParamSpec> parameters() {
        return ReconstructionConfig.specs(method);
    }

    @Override
    public DetectorConfig<?> configure(Map<String, String> parameters) {
        return ReconstructionConfig.fromParameters(method, parameters);
    }

    @Override
    public Optional<Map<String, String>> demoParameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("width", "32");
        p.put("height", "32");
        p.put("filters", "8");
        p.put("latent", "32");
        p.put("epochs", "4");
        p.put("batch_size", "16");
        if (method == Method.ANOGAN) {
            p.put("search_steps", "5");
        }
        if (method == Method.RIAD) {
            p.put("mask_sizes", "4,8");
        }
        return Optional.of(p);
    }

    @Override
    public Detector load(ModelArchive archive) throws IOException {
        return ReconstructionDetector.restore(method, archive);
    }

    /** {@code ae}. */
    public static final class Ae extends ReconstructionProvider {
        public Ae() {
            super(Method.AE, "convolutional autoencoder (Bergmann et al. 2019): loss and residual map squared error "
                    + "(loss=l2) or 1 - SSIM (loss=ssim); score = mean residual");
        }
    }

    /** {@code vae}. */
    public static final class Vae extends ReconstructionProvider {
        public Vae() {
            super(Method.VAE, "variational autoencoder: score = negative reconstruction log-probability by Monte Carlo "
                    + "sampling (An & Cho 2015); map = per-pixel term or the gradient attention map (Liu et al. 2020)");
        }
    }

    /** {@code memae}. */
    public static final class MemAe extends ReconstructionProvider {
        public MemAe() {
            super(Method.MEMAE, "memory-augmented autoencoder (Gong et al. 2019): cosine addressing of learned memory "
                    + "items with hard shrinkage; score = mean squared residual");
        }
    }

    /** {@code ganomaly}. */
    public static final class Ganomaly extends ReconstructionProvider {
        public Ganomaly() {
            super(Method.GANOMALY, "GANomaly (Akcay et al. 2018): encoder-decoder-encoder with a discriminator; "
                    + "score = latent distance |z - z'|^2; map = |x - x'|");
        }
    }

    /** {@code f-anogan}. */
    public static final class FAnoGan extends ReconstructionProvider {
        public FAnoGan() {
            super(Method.FANOGAN, "f-AnoGAN (Schlegl et al. 2019): GAN, then an encoder trained against the fixed "
                    + "generator (izif); score = image + discriminator-feature residual; fast scoring");
        }
    }

    /** {@code anogan}. */
    public static final class AnoGan extends ReconstructionProvider {
        public AnoGan() {
            super(Method.ANOGAN, "AnoGAN (Schlegl et al. 2017): GAN, then a per-image latent search by gradient "
                    + "descent; score = residual + feature loss after the search; slow scoring");
        }
    }

    /** {@code restoration}. */
    public static final class Restoration extends ReconstructionProvider {
        public Restoration() {
            super(Method.RESTORATION, "restoration (Fei et al. 2020, Puzzle-AE): a U-Net learns to undo grey-scale, "
                    + "rotation and patch shuffling; score = restoration error");
        }
    }

    /** {@code riad}. */
    public static final class Riad extends ReconstructionProvider {
        public Riad() {
            super(Method.RIAD, "RIAD (Zavrtanik et al. 2021): inpainting with multi-scale random masks by a U-Net; "
                    + "map = MSGMS distance; score = map maximum");
        }
    }

    /** {@code alocc}. */
    public static final class Alocc extends ReconstructionProvider {
        public Alocc() {
            super(Method.ALOCC, "ALOCC (Sabokrou et al. 2018): reconstructor + discriminator; score = -D(R(x)); "
                    + "stabilised=true: old reconstructor (Zaheer et al. 2020)");
        }
    }
}
