package org.anomaly4j.oneclass;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
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
import org.anomaly4j.api.Preprocessing;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.api.Provenance;
import org.anomaly4j.api.Stats;
import org.anomaly4j.io.CorruptModelException;
import org.anomaly4j.io.ModelArchive;
import org.anomaly4j.tensor.ArrayDataset;
import org.anomaly4j.tensor.Autograd;
import org.anomaly4j.tensor.LossFunction;
import org.anomaly4j.tensor.NativeResourceOwner;
import org.anomaly4j.tensor.Tensors;
import org.anomaly4j.tensor.TrainingHistory;
import org.anomaly4j.tensor.TrainingLoop;

/**
 * Deep SVDD (Ruff et al., "Deep one-class classification", ICML 2018; survey section III-B): a
 * bias-free network {@code phi} trained so that the representations of normal images fall into a
 * small hypersphere around a fixed centre {@code c}.
 *
 * <ol>
 *   <li>Optional pretraining: an autoencoder made of the encoder and a mirrored decoder
 *       ({@link DeepSvddNet}) minimises the reconstruction MSE; its encoder weights start step 3.</li>
 *   <li>{@code c} = the mean representation of the training images (evaluation mode), with every
 *       coordinate closer to 0 than {@code center_eps} pushed to {@code +-center_eps}.</li>
 *   <li>Training with Adam and weight decay by the shared {@link TrainingLoop} (seeded shuffling):
 *       one-class objective {@code mean |phi(x) - c|^2}, or soft-boundary
 *       {@code R^2 + 1/nu mean(max(0, |phi(x) - c|^2 - R^2))} with {@code R} set to the (1-nu)
 *       quantile of the training distances every {@code radius_every} epochs after the warm-up.</li>
 * </ol>
 *
 * The image score is {@code |phi(x) - c|^2} (minus {@code R^2} for soft-boundary). Loss curves go
 * into the provenance notes. Scoring runs in fixed batches of {@value #BLOCK} (padded), so an image
 * scores the same alone or in {@link #scoreAll}.
 */
public final class DeepSvdd extends BaseDetector<DeepSvddConfig> implements NativeResourceOwner {
    static final int BLOCK = 32;
    private static final int CENTER_BATCH = 256;

    private final NDManager root;
    private final SequentialBlock encoder;
    private final NDArray center;
    private final float[] centerValues;
    private final double radius2;
    private final float inputMin;
    private final float inputRange;

    private DeepSvdd(DeepSvddConfig config, Provenance provenance, Calibration calibration, NDManager root,
            SequentialBlock encoder, float[] center, double radius2, float inputMin, float inputRange) {
        super(config, config.preprocessing(), provenance, calibration);
        this.root = root;
        this.encoder = encoder;
        this.centerValues = center.clone();
        this.center = root.create(center);
        this.radius2 = radius2;
        this.inputMin = inputMin;
        this.inputRange = inputRange;
    }

    /** Fits on normal images. */
    public static DeepSvdd fit(ImageSet normals, DeepSvddConfig config) {
        return fit(normals, config, ProgressListener.NONE);
    }

    /**
     * Fits on normal images; progress: {@code "pretrain epoch e/E loss=..."} and
     * {@code "epoch e/E loss=..."} after every epoch.
     */
    public static DeepSvdd fit(ImageSet normals, DeepSvddConfig config, ProgressListener listener) {
        Objects.requireNonNull(normals, "normals");
        ProgressListener l = listener == null ? ProgressListener.NONE : listener;
        if (normals.isEmpty()) {
            throw new InvalidImageException("deep-svdd needs at least one normal training image");
        }
        for (LabeledImage li : normals) {
            if (li.isAnomalous()) {
                throw new InvalidImageException("training image " + li.id() + " is labelled anomalous: fit on normals");
            }
        }
        long t0 = System.nanoTime();
        Preprocessing pre = config.preprocessing();
        int n = normals.size();
        float[][] xs = new float[n][];
        IntStream.range(0, n).parallel().forEach(i -> xs[i] = DeepSvddNet.raw(pre.apply(normals.get(i).image()),
                config.gcn()));
        float min = 0;
        float range = 1;
        if (config.gcn()) {
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (float[] x : xs) {
                for (float v : x) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            min = lo;
            range = hi - lo > 0 ? hi - lo : 1;
            for (float[] x : xs) {
                scale(x, min, range);
            }
        }
        Shape sample = DeepSvddNet.inputShape(config);
        ArrayDataset data = ArrayDataset.of(xs, sample);
        Shape batchShape = new Shape(1).addAll(sample);
        NDManager root = Tensors.newRootManager();
        try {
            SequentialBlock encoder = DeepSvddNet.encoder(config);
            Map<String, String> notes = new LinkedHashMap<>();
            if (config.pretrainEpochs() > 0) {
                SequentialBlock decoder = DeepSvddNet.decoder(config);
                SequentialBlock ae = new SequentialBlock().add(encoder).add(decoder);
                TrainingLoop.initialize(ae, root, config.seed(), batchShape);
                TrainingHistory h = TrainingLoop.train(ae, data, null, LossFunction.meanSquaredError(),
                        config.pretraining(), (stage, done, total) -> l.progress("pretrain " + stage, done, total));
                h.notes().forEach((k, v) -> notes.put("pretrain_" + k, v));
                for (Pair<String, Parameter> p : decoder.getParameters()) {
                    p.getValue().close(); // only the encoder is kept
                }
            } else {
                TrainingLoop.initialize(encoder, root, config.seed(), batchShape);
            }
            float[] c = centerOf(encoder, root, xs, sample, config.centerEps());
            double[] r2 = {0};
            try (NDManager cm = root.newSubManager()) {
                NDArray cArr = cm.create(c);
                List<float[]> epochDistances = new ArrayList<>();
                boolean soft = config.objective() == DeepSvddConfig.Objective.SOFT_BOUNDARY;
                float invNu = (float) (1 / config.nu());
                LossFunction loss = (pass, batch) -> {
                    NDArray z = pass.forward(batch.get(0));
                    NDArray dist = z.sub(cArr).square().sum(new int[] {1});
                    if (!soft) {
                        return dist.mean();
                    }
                    if (pass.training()) {
                        epochDistances.add(dist.stopGradient().toFloatArray());
                    }
                    float r = (float) r2[0];
                    return Autograd.mul(Autograd.maximum(dist.sub(r), 0).mean(), invNu).add(r);
                };
                ProgressListener epochs = (stage, done, total) -> {
                    if (soft && done >= Math.max(1, config.warmupEpochs())
                            && (done - Math.max(1, config.warmupEpochs())) % config.radiusEvery() == 0) {
                        r2[0] = radius2(epochDistances, config.nu());
                    }
                    epochDistances.clear();
                    l.progress(stage, done, total);
                };
                TrainingHistory h = TrainingLoop.train(encoder, data, null, loss, config.training(), epochs);
                notes.putAll(h.notes());
            }
            double rr = Doubles.round(r2[0]);
            double cn = 0;
            for (float v : c) {
                cn += (double) v * v;
            }
            notes.put("center_norm", Double.toString(Math.sqrt(cn)));
            notes.put("radius_squared", Double.toString(rr));
            notes.put("input_min", Float.toString(min));
            notes.put("input_range", Float.toString(range));
            notes.put("fit_seconds", String.format(Locale.ROOT, "%.3f", (System.nanoTime() - t0) / 1e9));
            return new DeepSvdd(config, Provenance.capture(config.seed(), normals, notes), null, root, encoder, c,
                    rr, min, range);
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    private static void scale(float[] x, float min, float range) {
        for (int i = 0; i < x.length; i++) {
            x[i] = (x[i] - min) / range;
        }
    }

    /** R^2 with R the (1-nu) quantile of the distances' square roots (Ruff et al.'s get_radius). */
    private static double radius2(List<float[]> distances, double nu) {
        int count = distances.stream().mapToInt(d -> d.length).sum();
        if (count == 0) {
            return 0;
        }
        double[] r = new double[count];
        int k = 0;
        for (float[] d : distances) {
            for (float v : d) {
                r[k++] = Math.sqrt(Math.max(0, v));
            }
        }
        Arrays.sort(r);
        double q = Stats.sortedQuantile(r, 1 - nu);
        return q * q;
    }

    /** The mean representation (evaluation mode), coordinates within eps of 0 pushed to +-eps. */
    private static float[] centerOf(SequentialBlock encoder, NDManager root, float[][] xs, Shape sample, double eps) {
        double[] sum = null;
        int per = Math.toIntExact(sample.size());
        for (int from = 0; from < xs.length; from += CENTER_BATCH) {
            int count = Math.min(CENTER_BATCH, xs.length - from);
            float[] buf = new float[count * per];
            for (int i = 0; i < count; i++) {
                System.arraycopy(xs[from + i], 0, buf, i * per, per);
            }
            try (NDManager m = root.newSubManager()) {
                NDArray x = m.create(buf, new Shape(count).addAll(sample));
                float[] z = encoder.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow()
                        .toFloatArray();
                int rep = z.length / count;
                if (sum == null) {
                    sum = new double[rep];
                }
                for (int i = 0; i < count; i++) {
                    for (int j = 0; j < rep; j++) {
                        sum[j] += z[i * rep + j];
                    }
                }
            }
        }
        for (int j = 0; j < sum.length; j++) {
            sum[j] /= xs.length;
        }
        return pushFromZero(sum, eps);
    }

    /**
     * Ruff et al.'s fix of the centre: a coordinate with {@code |c_j| < eps} becomes {@code -eps} if
     * negative and {@code +eps} if positive (exact zeros stay), so that no coordinate of {@code c} can be
     * matched trivially by zero weights.
     */
    static float[] pushFromZero(double[] mean, double eps) {
        float[] c = new float[mean.length];
        for (int j = 0; j < c.length; j++) {
            double v = mean[j];
            if (Math.abs(v) < eps && v < 0) {
                v = -eps;
            } else if (Math.abs(v) < eps && v > 0) {
                v = eps;
            }
            c[j] = (float) v;
        }
        return c;
    }

    /** Loads a saved Deep SVDD. */
    public static DeepSvdd load(Path file) throws IOException {
        return Detectors.load(file, DeepSvdd.class);
    }

    static DeepSvdd restore(ModelArchive a) throws IOException {
        DeepSvddConfig config;
        try {
            config = DeepSvddConfig.fromParameters(a.config());
        } catch (IllegalArgumentException e) {
            throw new CorruptModelException(a.file(), "invalid config: " + e.getMessage(), e);
        }
        float[] c = a.tensor("center").values();
        double[] scalars = Doubles.unpack(a.tensor("scalars").values());
        if (c.length != config.repDim() || scalars.length != 3) {
            throw new CorruptModelException(a.file(), "centre of " + c.length + " values for rep_dim "
                    + config.repDim() + ", " + scalars.length + " scalars (expected 3)");
        }
        NDManager root = Tensors.newRootManager();
        try {
            SequentialBlock encoder = DeepSvddNet.encoder(config);
            TrainingLoop.initialize(encoder, root, config.seed(), new Shape(1).addAll(DeepSvddNet.inputShape(config)));
            int k = 0;
            for (Pair<String, Parameter> p : encoder.getParameters()) {
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
            return new DeepSvdd(config, a.provenance(), a.calibration().orElse(null), root, encoder, c, scalars[0],
                    (float) scalars[1], (float) scalars[2]);
        } catch (IOException | RuntimeException e) {
            root.close();
            throw e;
        }
    }

    /** The hypersphere's centre. */
    public float[] center() {
        return centerValues.clone();
    }

    /** The squared radius (soft-boundary; 0 for the one-class objective). */
    public double radiusSquared() {
        return radius2;
    }

    @Override
    public boolean producesMaps() {
        return false;
    }

    @Override
    protected ModelScore scoreModelInput(AnomalyImage modelInput) {
        return new ModelScore(scoreInputs(List.of(modelInput))[0], null);
    }

    @Override
    public List<ImageScore> scoreAll(List<AnomalyImage> images, ProgressListener listener) {
        Objects.requireNonNull(images, "images");
        ProgressListener l = listener == null ? ProgressListener.NONE : listener;
        ensureOpen();
        Calibration cal = calibration().orElse(null);
        List<ImageScore> out = new ArrayList<>(images.size());
        int chunk = BLOCK * 16;
        for (int from = 0; from < images.size(); from += chunk) {
            List<AnomalyImage> part = images.subList(from, Math.min(images.size(), from + chunk));
            List<AnomalyImage> inputs = part.parallelStream().map(i -> preprocessing().apply(
                    Objects.requireNonNull(i, "image"))).toList();
            double[] s = scoreInputs(inputs);
            for (int i = 0; i < s.length; i++) {
                if (!Double.isFinite(s[i])) {
                    throw new IllegalStateException(typeId() + " produced a non-finite score " + s[i] + " for "
                            + part.get(i));
                }
                ImageScore is = new ImageScore(s[i], null);
                out.add(cal == null ? is : cal.apply(is));
            }
            l.progress("score", out.size(), images.size());
        }
        return out;
    }

    /** Scores of preprocessed images, in padded blocks of {@value #BLOCK}. */
    private double[] scoreInputs(List<AnomalyImage> inputs) {
        DeepSvddConfig c = config();
        Shape sample = DeepSvddNet.inputShape(c);
        int per = Math.toIntExact(sample.size());
        double[] out = new double[inputs.size()];
        for (int from = 0; from < inputs.size(); from += BLOCK) {
            int count = Math.min(BLOCK, inputs.size() - from);
            float[] buf = new float[BLOCK * per];
            for (int i = 0; i < count; i++) {
                float[] x = DeepSvddNet.raw(inputs.get(from + i), c.gcn());
                if (c.gcn()) {
                    scale(x, inputMin, inputRange);
                }
                System.arraycopy(x, 0, buf, i * per, per);
            }
            float[] d;
            try (NDManager m = root.newSubManager()) {
                NDArray x = m.create(buf, new Shape(BLOCK).addAll(sample));
                NDArray z = encoder.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
                d = z.sub(center).square().sum(new int[] {1}).toFloatArray();
            }
            for (int i = 0; i < count; i++) {
                out[from + i] = d[i] - radius2;
            }
        }
        return out;
    }

    @Override
    protected void writeTensors(ModelArchive.Builder archive) {
        int k = 0;
        for (Pair<String, Parameter> p : encoder.getParameters()) {
            archive.tensor(Tensors.toData("param." + k, p.getValue().getArray()));
            k++;
        }
        archive.tensor("center", new long[] {centerValues.length}, centerValues.clone());
        archive.tensor("scalars", new long[] {3, 2}, Doubles.pack(radius2, inputMin, inputRange));
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
