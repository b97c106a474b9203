package org.anomaly4j.reconstruction;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.IntStream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.BaseDetector;
import org.anomaly4j.api.Calibration;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.api.ImageScore;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidImageException;
import org.anomaly4j.api.LabeledImage;
import org.anomaly4j.api.PixelMap;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.api.Provenance;
import org.anomaly4j.io.CorruptModelException;
import org.anomaly4j.io.ModelArchive;
import org.anomaly4j.reconstruction.ReconstructionConfig.Method;
import org.anomaly4j.tensor.ArrayDataset;
import org.anomaly4j.tensor.Autograd;
import org.anomaly4j.tensor.BatchSource;
import org.anomaly4j.tensor.LossFunction;
import org.anomaly4j.tensor.MapOps;
import org.anomaly4j.tensor.NativeResourceOwner;
import org.anomaly4j.tensor.Ssim;
import org.anomaly4j.tensor.Tensors;
import org.anomaly4j.tensor.TrainingHistory;
import org.anomaly4j.tensor.TrainingLoop;

/**
 * Every reconstruction detector (survey sections III-C and IV-A), one {@link Method} each, trained
 * by the shared {@link TrainingLoop} (Adam, seeded shuffling) on images in [0, 1]:
 *
 * <ul>
 *   <li>{@code ae}: encoder - code - decoder (sigmoid); loss and residual map squared error
 *       ({@code loss=l2}) or {@code 1 - SSIM} ({@code loss=ssim}, Bergmann et al.).</li>
 *   <li>{@code vae}: Gaussian encoder and a decoder with per-pixel mean and log-variance; the
 *       ELBO per pixel; score = the negative reconstruction log-probability averaged over
 *       {@code mc_samples} draws of the code (An &amp; Cho); {@code map=attention}: Liu et al.'s
 *       gradient attention on the last encoder feature map (for the linear head the gradient of
 *       each code unit is its weight row, so the map is exact without a backward pass).</li>
 *   <li>{@code memae}: the code replaced by its hard-shrunk memory read-out ({@link Memory}), loss
 *       squared error plus the addressing entropy (Gong et al.).</li>
 *   <li>{@code ganomaly}: encoder, decoder, second encoder and a discriminator; generator loss
 *       {@code w_adv |f(x)-f(x')|^2 + w_rec |x-x'| + w_enc |z-z'|^2}, discriminator BCE; score the
 *       latent distance {@code |z - z'|^2}; map {@code |x - x'|}.</li>
 *   <li>{@code f-anogan} / {@code anogan}: a GAN (non-saturating loss); f-AnoGAN then trains an
 *       encoder against the fixed generator (izif loss) and scores
 *       {@code |x - G(E(x))|^2 + kappa |f(x) - f(G(E(x)))|^2}; AnoGAN searches the code per image by
 *       {@code search_steps} Adam steps from a fixed start and scores the final loss.</li>
 *   <li>{@code restoration}: a U-Net learns to undo grey-scale, rotation and 4x4 patch shuffling
 *       (Fei et al., Puzzle-AE); scoring applies each degradation with fixed settings and averages
 *       the squared restoration errors.</li>
 *   <li>{@code riad}: a U-Net inpaints images with cells of size {@code k} hidden in
 *       {@code mask_splits} disjoint masks, {@code k} from {@code mask_sizes}; loss L2 + SSIM +
 *       MSGMS; map: the MSGMS distance of the inpainted image, averaged over mask sizes (Zavrtanik
 *       et al.).</li>
 *   <li>{@code alocc}: reconstructor (noisy input) plus discriminator; score = minus the
 *       discriminator's logit on the reconstruction; {@code stabilised=true} scores with the
 *       reconstructor of the middle epoch (Zaheer et al.'s "old is gold").</li>
 * </ul>
 *
 * Adversarial methods train generator and discriminator with one Adam step on the sum of both
 * losses: the discriminator sees detached fakes, the generator's loss reaches it through
 * {@link FrozenStore} (no gradient to the discriminator's weights). Maps are smoothed with
 * {@code map_sigma} at model resolution and returned at the input's resolution. Scoring runs in
 * padded blocks of {@value #BLOCK}, so an image scores the same alone or in {@link #scoreAll}; AnoGAN's
 * latent search runs over larger padded blocks (up to {@value #SEARCH_BLOCK} images, at most
 * {@value #SEARCH_BLOCK_VALUES} input values), since each of its steps costs a forward and backward pass.
 */
public final class ReconstructionDetector extends BaseDetector<ReconstructionConfig> implements NativeResourceOwner {
    static final int BLOCK = 8;
    static final int SEARCH_BLOCK = 64;
    static final int SEARCH_BLOCK_VALUES = 1 << 18;
    private static final ReentrantLock GRADIENTS = new ReentrantLock();

    private final NDManager root;
    private final Net net;
    private final float[] mcNoise;
    private final float[] searchStart;

    private ReconstructionDetector(ReconstructionConfig config, Provenance provenance, Calibration calibration,
            NDManager root, Net net) {
        super(config, config.preprocessing(), provenance, calibration);
        this.root = root;
        this.net = net;
        Random r = new Random(config.seed() * 31 + 17);
        int l = config.latent();
        if (config.method() == Method.VAE) {
            mcNoise = new float[config.integer("mc_samples") * l];
            for (int i = 0; i < mcNoise.length; i++) {
                mcNoise[i] = (float) r.nextGaussian();
            }
        } else {
            mcNoise = null;
        }
        if (config.method() == Method.ANOGAN) {
            searchStart = new float[l];
            for (int i = 0; i < l; i++) {
                searchStart[i] = (float) (0.1 * r.nextGaussian()); // a start near the prior's mode
            }
        } else {
            searchStart = null;
        }
    }

    /** Fits on normal images. */
    public static ReconstructionDetector fit(ImageSet normals, ReconstructionConfig config) {
        return fit(normals, config, ProgressListener.NONE);
    }

    /** Fits on normal images; progress once per epoch of each training stage. */
    public static ReconstructionDetector fit(ImageSet normals, ReconstructionConfig config, ProgressListener listener) {
        Objects.requireNonNull(normals, "normals");
        Objects.requireNonNull(config, "config");
        ProgressListener l = listener == null ? ProgressListener.NONE : listener;
        if (normals.isEmpty()) {
            throw new InvalidImageException(config.typeId() + " needs at least one normal training image");
        }
        for (LabeledImage li : normals) {
            if (li.isAnomalous()) {
                throw new InvalidImageException("training image " + li.id() + " is labelled anomalous: fit on normals");
            }
        }
        long t0 = System.nanoTime();
        int n = normals.size();
        float[][] xs = new float[n][];
        IntStream.range(0, n).parallel().forEach(i -> xs[i] = config.preprocessing().apply(normals.get(i).image())
                .toArray());
        NDManager root = Tensors.newRootManager();
        try {
            Net net = build(config);
            TrainingLoop.initialize(net, root, config.seed(), net.anyInputShape());
            Map<String, String> notes = new LinkedHashMap<>();
            Trainer.train(config, net, xs, notes, l);
            notes.put("fit_seconds", String.format(Locale.ROOT, "%.3f", (System.nanoTime() - t0) / 1e9));
            return new ReconstructionDetector(config, Provenance.capture(config.seed(), normals, notes), null, root, net);
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    /** The networks of a method, with their input shapes. */
    static Net build(ReconstructionConfig c) {
        int ch = c.channels();
        int lat = c.latent();
        Shape img = new Shape(1, ch, c.height(), c.width());
        Shape code = new Shape(1, lat);
        Net net = new Net();
        switch (c.method()) {
            case AE -> net.add("enc", Nets.encoder(c, lat), img).add("dec", Nets.decoder(c, ch), code);
            case VAE -> net.add("enc", Nets.encoder(c, 2 * lat), img).add("dec", Nets.decoder(c, 2 * ch), code);
            case MEMAE -> {
                int slots = c.integer("mem_slots");
                net.add("enc", Nets.encoder(c, lat), img)
                        .add("mem", new Memory(slots, lat, c.real("shrink") / slots), code)
                        .add("dec", Nets.decoder(c, ch), code);
            }
            case GANOMALY -> net.add("enc", Nets.encoder(c, lat), img).add("dec", Nets.decoder(c, ch), code)
                    .add("enc2", Nets.encoder(c, lat), img).add("disc", Nets.discriminator(c), img);
            case FANOGAN, ANOGAN -> {
                net.add("gen", Nets.decoder(c, ch), code).add("disc", Nets.discriminator(c), img);
                if (c.method() == Method.FANOGAN) {
                    net.add("enc", Nets.encoder(c, lat), img);
                }
            }
            case RESTORATION, RIAD -> net.add("unet", Nets.unet(c, ch), img);
            case ALOCC -> {
                net.add("enc", Nets.encoder(c, lat), img).add("dec", Nets.decoder(c, ch), code)
                        .add("disc", Nets.discriminator(c), img);
                if (c.bool("stabilised")) {
                    net.add("enc_old", Nets.encoder(c, lat), img).add("dec_old", Nets.decoder(c, ch), code);
                }
            }
            default -> throw new AssertionError(c.method());
        }
        return net;
    }

    /** Loads a saved reconstruction detector. */
    public static ReconstructionDetector load(Path file) throws IOException {
        return Detectors.load(file, ReconstructionDetector.class);
    }

    static ReconstructionDetector restore(Method method, ModelArchive a) throws IOException {
        ReconstructionConfig config;
        try {
            config = ReconstructionConfig.fromParameters(method, a.config());
        } catch (IllegalArgumentException e) {
            throw new CorruptModelException(a.file(), "invalid config: " + e.getMessage(), e);
        }
        NDManager root = Tensors.newRootManager();
        try {
            Net net = build(config);
            TrainingLoop.initialize(net, root, config.seed(), net.anyInputShape());
            int k = 0;
            for (Pair<String, Parameter> p : net.getParameters()) {
                if (!a.tensorNames().contains("param." + k)) {
                    throw new CorruptModelException(a.file(), "parameter " + k + " (" + p.getKey() + ") is missing");
                }
                var t = a.tensor("param." + k);
                NDArray arr = p.getValue().getArray();
                if (!Arrays.equals(t.shape(), arr.getShape().getShape())) {
                    throw new CorruptModelException(a.file(), "parameter " + k + " (" + p.getKey() + ") has shape "
                            + Arrays.toString(t.shape()) + ", the network " + arr.getShape());
                }
                arr.set(t.values());
                k++;
            }
            if (a.tensorNames().contains("param." + k)) {
                throw new CorruptModelException(a.file(), "more parameters stored than the network has (" + k + ")");
            }
            return new ReconstructionDetector(config, a.provenance(), a.calibration().orElse(null), root, net);
        } catch (IOException | RuntimeException e) {
            root.close();
            throw e;
        }
    }

    @Override
    public boolean producesMaps() {
        return true;
    }

    @Override
    protected ModelScore scoreModelInput(AnomalyImage modelInput) {
        Scored s = scoreInputs(List.of(modelInput));
        return new ModelScore(s.scores[0], s.maps[0]);
    }

    @Override
    public List<ImageScore> scoreAll(List<AnomalyImage> images, ProgressListener listener) {
        Objects.requireNonNull(images, "images");
        ProgressListener l = listener == null ? ProgressListener.NONE : listener;
        ensureOpen();
        Calibration cal = calibration().orElse(null);
        List<ImageScore> out = new ArrayList<>(images.size());
        int chunk = scoreBlock(config()) * 16;
        for (int from = 0; from < images.size(); from += chunk) {
            List<AnomalyImage> part = images.subList(from, Math.min(images.size(), from + chunk));
            List<AnomalyImage> inputs = part.parallelStream()
                    .map(i -> preprocessing().apply(Objects.requireNonNull(i, "image"))).toList();
            Scored s = scoreInputs(inputs);
            for (int i = 0; i < part.size(); i++) {
                if (!Double.isFinite(s.scores[i])) {
                    throw new IllegalStateException(typeId() + " produced a non-finite score " + s.scores[i] + " for "
                            + part.get(i));
                }
                PixelMap model = PixelMap.of(preprocessing().outputWidth(), preprocessing().outputHeight(), s.maps[i]);
                AnomalyImage in = part.get(i);
                ImageScore is = new ImageScore(s.scores[i], preprocessing().mapToInput(model, in.width(), in.height()));
                out.add(cal == null ? is : cal.apply(is));
            }
            l.progress("score", out.size(), images.size());
        }
        return out;
    }

    private record Scored(double[] scores, float[][] maps) {
    }

    private Scored scoreInputs(List<AnomalyImage> inputs) {
        ReconstructionConfig c = config();
        int per = c.channels() * c.height() * c.width();
        int plane = c.height() * c.width();
        double[] scores = new double[inputs.size()];
        float[][] maps = new float[inputs.size()][];
        int block = scoreBlock(c);
        for (int from = 0; from < inputs.size(); from += block) {
            int count = Math.min(block, inputs.size() - from);
            float[] buf = new float[block * per];
            for (int i = 0; i < count; i++) {
                inputs.get(from + i).copyTo(buf, i * per);
            }
            float[] mapValues;
            float[] nativeScores;
            try (NDManager m = root.newSubManager()) {
                NDArray x = m.create(buf, new Shape(block, c.channels(), c.height(), c.width()));
                NDArray[] r = c.method() == Method.ANOGAN ? anoganSearch(m, x) : forward(m, x);
                NDArray map = r[0].expandDims(1);
                if (c.mapSigma() > 0) {
                    map = MapOps.gaussianBlur(map, c.mapSigma());
                }
                mapValues = map.toFloatArray();
                nativeScores = r[1].toFloatArray();
            }
            for (int i = 0; i < count; i++) {
                float[] mp = Arrays.copyOfRange(mapValues, i * plane, (i + 1) * plane);
                maps[from + i] = mp;
                scores[from + i] = switch (c.imageScore()) {
                    case "mean" -> mean(mp);
                    case "max" -> max(mp);
                    default -> nativeScores[i];
                };
            }
        }
        return new Scored(scores, maps);
    }

    /**
     * Images per scoring block: {@link #BLOCK}, or for AnoGAN as many as fit {@link #SEARCH_BLOCK_VALUES} input
     * values (between {@link #BLOCK} and {@link #SEARCH_BLOCK}); a function of the config alone, so that a
     * saved and loaded model pads the same way.
     */
    static int scoreBlock(ReconstructionConfig c) {
        if (c.method() != Method.ANOGAN) {
            return BLOCK;
        }
        int per = c.channels() * c.height() * c.width();
        return Math.max(BLOCK, Math.min(SEARCH_BLOCK, SEARCH_BLOCK_VALUES / per));
    }

    /** The mean of each image's values, {@code [B, ...] -> [B]}. */
    static NDArray perImageMean(NDArray a) {
        return a.reshape(a.getShape().get(0), -1).mean(new int[] {1});
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float f : v) {
            s += f;
        }
        return s / v.length;
    }

    private static double max(float[] v) {
        float m = Float.NEGATIVE_INFINITY;
        for (float f : v) {
            m = Math.max(m, f);
        }
        return m;
    }

    private NDArray run(String part, ParameterStore ps, NDArray x) {
        return net.part(part).forward(ps, new NDList(x), false).singletonOrThrow();
    }

    /** The raw map {@code [B, H, W]} and the native image scores {@code [B]} in evaluation mode. */
    private NDArray[] forward(NDManager m, NDArray x) {
        ReconstructionConfig c = config();
        ParameterStore ps = new FrozenStore(m); // parameter views live (and die) in the scoring scope
        switch (c.method()) {
            case AE, MEMAE -> {
                NDArray z = run("enc", ps, x);
                if (c.method() == Method.MEMAE) {
                    z = net.part("mem").forward(ps, new NDList(z), false).get(0);
                }
                NDArray r = run("dec", ps, z).getNDArrayInternal().sigmoid();
                NDArray map = c.loss().equals("ssim") ? Ssim.DEFAULT.map(x, r).squeeze(1).neg().add(1f)
                        : r.sub(x).square().mean(new int[] {1});
                return new NDArray[] {map, perImageMean(map)};
            }
            case VAE -> {
                return vae(m, ps, x);
            }
            case GANOMALY -> {
                NDArray z = run("enc", ps, x);
                NDArray r = run("dec", ps, z).getNDArrayInternal().sigmoid();
                NDArray z2 = run("enc2", ps, r);
                return new NDArray[] {r.sub(x).abs().mean(new int[] {1}), z.sub(z2).square().mean(new int[] {1})};
            }
            case FANOGAN -> {
                NDArray r = run("gen", ps, run("enc", ps, x)).getNDArrayInternal().sigmoid();
                NDArray map = r.sub(x).square().mean(new int[] {1});
                Block f = features(net.part("disc"));
                NDArray fx = f.forward(ps, new NDList(x), false).singletonOrThrow();
                NDArray fr = f.forward(ps, new NDList(r), false).singletonOrThrow();
                NDArray score = perImageMean(map)
                        .add(Autograd.mul(fx.sub(fr).square().reshape(x.getShape().get(0), -1).mean(new int[] {1}), c.real("kappa")));
                return new NDArray[] {map, score};
            }
            case RESTORATION -> {
                return restoration(m, ps, x);
            }
            case RIAD -> {
                return riad(m, ps, x);
            }
            case ALOCC -> {
                boolean old = c.bool("stabilised");
                NDArray r = run(old ? "dec_old" : "dec", ps, run(old ? "enc_old" : "enc", ps, x))
                        .getNDArrayInternal().sigmoid();
                NDArray logit = run("disc", ps, r).reshape(-1);
                return new NDArray[] {r.sub(x).square().mean(new int[] {1}), logit.neg()};
            }
            default -> throw new AssertionError(c.method());
        }
    }

    static Block features(Block encoder) {
        return ((SequentialBlock) encoder).getChildren().get(0).getValue();
    }

    private NDArray[] vae(NDManager m, ParameterStore ps, NDArray x) {
        ReconstructionConfig c = config();
        int lat = c.latent();
        int samples = c.integer("mc_samples");
        SequentialBlock enc = (SequentialBlock) net.part("enc");
        NDArray a = features(enc).forward(ps, new NDList(x), false).singletonOrThrow();
        NDArray h = enc.getChildren().get(2).getValue()
                .forward(ps, new NDList(enc.getChildren().get(1).getValue().forward(ps, new NDList(a), false)
                        .singletonOrThrow()), false).singletonOrThrow();
        NDList parts = h.split(2, 1);
        NDArray mu = parts.get(0);
        NDArray std = Autograd.mul(parts.get(1).clip(-10f, 10f), 0.5).exp();
        NDArray eps = m.create(mcNoise, new Shape(samples, lat));
        long b = x.getShape().get(0);
        // [S*B, L]: sample s of image i at row s*B + i
        NDArray z = mu.expandDims(0).add(std.expandDims(0).mul(eps.expandDims(1))).reshape(samples * b, lat);
        NDArray out = run("dec", ps, z);
        NDList mv = out.split(2, 1);
        NDArray mean = mv.get(0).getNDArrayInternal().sigmoid();
        NDArray logVar = mv.get(1).clip(-7f, 7f);
        NDArray xr = NDArrays.concat(new NDList(java.util.Collections.nCopies(samples, x)), 0);
        NDArray nll = logVar.add(xr.sub(mean).square().mul(logVar.neg().exp())).add((float) Math.log(2 * Math.PI))
                .mul(0.5f).mean(new int[] {1}); // [S*B, H, W]
        NDArray pix = nll.reshape(samples, b, c.height(), c.width()).mean(new int[] {0});
        NDArray score = perImageMean(pix);
        if (c.string("map").equals("attention")) {
            Pair<String, Parameter> w = enc.getChildren().get(2).getValue().getParameters().get(0);
            NDArray weight = w.getValue().getArray().stopGradient(); // [2L, Cf*h*w]
            weight.attach(m);
            Shape as = a.getShape();
            NDArray alpha = weight.get("0:" + lat).reshape(lat, as.get(1), as.get(2) * as.get(3)).mean(new int[] {2});
            NDArray att = alpha.matMul(a.reshape(b, as.get(1), as.get(2) * as.get(3))) // [B, L, hw]
                    .maximum(0f).sum(new int[] {1}).reshape(b, 1, as.get(2), as.get(3));
            NDArray up = MapOps.upsampleBilinear(att, c.height(), c.width()).squeeze(1);
            return new NDArray[] {up, score};
        }
        return new NDArray[] {pix, score};
    }

    private NDArray[] restoration(NDManager m, ParameterStore ps, NDArray x) {
        ReconstructionConfig c = config();
        int ch = c.channels();
        int h = c.height();
        int w = c.width();
        float[] raw = x.toFloatArray();
        int per = ch * h * w;
        int b = (int) x.getShape().get(0);
        List<float[]> variants = new ArrayList<>();
        int[] perm = Ops.permutation(16, new Random(c.seed() * 131 + 7));
        for (String g : c.degradations()) {
            int reps = g.equals("rotate") ? 3 : 1;
            for (int q = 1; q <= reps; q++) {
                float[] v = new float[raw.length];
                for (int i = 0; i < b; i++) {
                    float[] one = Arrays.copyOfRange(raw, i * per, (i + 1) * per);
                    float[] d = switch (g) {
                        case "grey" -> Ops.grey(one, ch, h, w);
                        case "rotate" -> Ops.rotate(one, ch, h, q);
                        default -> Ops.shuffle(one, ch, h, w, perm);
                    };
                    System.arraycopy(d, 0, v, i * per, per);
                }
                variants.add(v);
            }
        }
        NDArray sum = null;
        for (float[] v : variants) {
            NDArray r = run("unet", ps, m.create(v, x.getShape())).getNDArrayInternal().sigmoid();
            NDArray err = r.sub(x).square().mean(new int[] {1});
            sum = sum == null ? err : sum.add(err);
        }
        NDArray map = sum.div((float) variants.size());
        return new NDArray[] {map, perImageMean(map)};
    }

    private NDArray[] riad(NDManager m, ParameterStore ps, NDArray x) {
        ReconstructionConfig c = config();
        int h = c.height();
        int w = c.width();
        int splits = c.integer("mask_splits");
        Random r = new Random(c.seed() * 977 + 3);
        NDArray sum = null;
        int[] sizes = c.maskSizes();
        for (int k : sizes) {
            NDArray masks = m.create(Ops.masks(h, w, k, splits, r), new Shape(splits, 1, 1, h, w));
            NDArray rec = inpaint(ps, x, masks, false);
            NDArray d = Ops.msgmsDistance(x, rec).squeeze(1);
            sum = sum == null ? d : sum.add(d);
        }
        NDArray map = sum.div((float) sizes.length);
        return new NDArray[] {map, perImageMean(map)};
    }

    /** RIAD: the image inpainted from {@code splits} masked copies ({@code masks [S, 1, 1, H, W]}). */
    NDArray inpaint(ParameterStore ps, NDArray x, NDArray masks, boolean training) {
        Shape s = x.getShape();
        long splits = masks.getShape().get(0);
        NDArray hidden = x.expandDims(0).mul(masks.neg().add(1f)).reshape(splits * s.get(0), s.get(1), s.get(2), s.get(3));
        NDArray out = net.part("unet").forward(ps, new NDList(hidden), training).singletonOrThrow()
                .getNDArrayInternal().sigmoid().reshape(splits, s.get(0), s.get(1), s.get(2), s.get(3));
        return out.mul(masks).sum(new int[] {0});
    }

    /** AnoGAN: per-image Adam search of the code; returns the residual map and the final search loss. */
    private NDArray[] anoganSearch(NDManager m, NDArray x) {
        ReconstructionConfig c = config();
        int lat = c.latent();
        int b = (int) x.getShape().get(0);
        float[] z = new float[b * lat];
        for (int i = 0; i < b; i++) {
            System.arraycopy(searchStart, 0, z, i * lat, lat);
        }
        double[] m1 = new double[z.length];
        double[] m2 = new double[z.length];
        double lr = c.real("search_lr");
        float kappa = (float) c.real("kappa");
        Block f = features(net.part("disc"));
        int steps = c.integer("search_steps");
        NDArray fx = f.forward(new FrozenStore(m), new NDList(x), false).singletonOrThrow().stopGradient();
        GRADIENTS.lock();
        try {
            for (int t = 1; t <= steps; t++) {
                try (NDManager s = m.newSubManager()) {
                    NDArray za = s.create(z, new Shape(b, lat));
                    za.setRequiresGradient(true);
                    FrozenStore fs = new FrozenStore(s);
                    try (GradientCollector gc = s.getEngine().newGradientCollector()) {
                        NDArray r = net.part("gen").forward(fs, new NDList(za), false).singletonOrThrow()
                                .getNDArrayInternal().sigmoid();
                        NDArray fr = f.forward(fs, new NDList(r), false).singletonOrThrow();
                        NDArray loss = anoganResidual(r, x, fr, fx, kappa).sum();
                        gc.backward(loss);
                    }
                    float[] g = za.getGradient().toFloatArray();
                    double bc1 = 1 - Math.pow(0.9, t);
                    double bc2 = 1 - Math.pow(0.999, t);
                    for (int i = 0; i < z.length; i++) {
                        m1[i] = 0.9 * m1[i] + 0.1 * g[i];
                        m2[i] = 0.999 * m2[i] + 0.001 * g[i] * g[i];
                        z[i] -= (float) (lr * (m1[i] / bc1) / (Math.sqrt(m2[i] / bc2) + 1e-8));
                    }
                }
            }
        } finally {
            GRADIENTS.unlock();
        }
        return anoganScore(m, m.create(z, new Shape(b, lat)), x, fx, f, kappa);
    }

    /**
     * AnoGAN's map and score at the latent code the search found (no gradient recorded here); {@code fx} are the
     * discriminator features of {@code x} the search already computed.
     */
    private NDArray[] anoganScore(NDManager m, NDArray z, NDArray x, NDArray fx, Block f, float kappa) {
        ParameterStore ps = new FrozenStore(m);
        NDArray r = run("gen", ps, z).getNDArrayInternal().sigmoid();
        NDArray fr = f.forward(ps, new NDList(r), false).singletonOrThrow();
        return new NDArray[] {r.sub(x).square().mean(new int[] {1}), anoganResidual(r, x, fr, fx, kappa)};
    }

    /** Per image: mean |r - x| plus {@code kappa} times the mean |f(r) - f(x)| (the search loss and the score). */
    private static NDArray anoganResidual(NDArray r, NDArray x, NDArray fr, NDArray fx, float kappa) {
        long b = x.getShape().get(0);
        return r.sub(x).abs().reshape(b, -1).mean(new int[] {1})
                .add(Autograd.mul(fr.sub(fx).abs().reshape(b, -1).mean(new int[] {1}), kappa));
    }

    @Override
    protected void writeTensors(ModelArchive.Builder archive) {
        int k = 0;
        for (Pair<String, Parameter> p : net.getParameters()) {
            archive.tensor(Tensors.toData("param." + k, p.getValue().getArray()));
            k++;
        }
    }

    @Override
    public int liveTensorCount() {
        return Tensors.liveArrays(root);
    }

    @Override
    protected void release() {
        root.close();
    }
}
