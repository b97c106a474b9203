package org.anomaly4j.selfsupervised;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.BaseDetector;
import org.anomaly4j.api.Calibration;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.api.ImageScore;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.api.Provenance;
import org.anomaly4j.io.CorruptModelException;
import org.anomaly4j.io.ModelArchive;
import org.anomaly4j.tensor.BatchSource;
import org.anomaly4j.tensor.LossFunction;
import org.anomaly4j.tensor.NativeResourceOwner;
import org.anomaly4j.tensor.Tensors;
import org.anomaly4j.tensor.TrainingHistory;
import org.anomaly4j.tensor.TrainingLoop;

/**
 * Anomaly detection by classifying geometric transformations (survey section III-D): a CNN learns,
 * from normal images only, which of {@code T} transformations (flips, translations, rotations; see
 * {@link TransformSet}) was applied to an image. On normal images it learns to tell; on anomalies it
 * is unsure or wrong. Two types share this class ({@link TransformConfig}):
 *
 * <ul>
 *   <li>{@code geom} (Golan and El-Yaniv 2018): one softmax over all T composed transformations. The
 *       Dirichlet normality score fits, for each transformation t, a Dirichlet distribution to the
 *       softmax outputs on the transformed training images (fixed-point maximum likelihood, Minka) and
 *       scores {@code n(x) = sum_t (alpha_t - 1) . log softmax(f(T_t(x)))}.</li>
 *   <li>{@code rotnet-trans} (Hendrycks et al. 2019): separate heads for the rotation, the horizontal
 *       and the vertical translation (and the flip when on), trained with the sum of their
 *       cross-entropies.</li>
 * </ul>
 *
 * Either type can be scored by the Dirichlet score (one Dirichlet per transformation and head) or by
 * the summed log-probability of the true labels {@code sum_t sum_h log p_h(label_h(t) | T_t(x))}. The
 * image score is the negated normality score (higher = more anomalous). No pixel map: the method
 * scores whole images. Training samples are all (image, transformation) pairs in a seeded order,
 * transformed in batches on tensors ({@link Augment#geometric}); scoring runs every transformation of
 * fixed, padded blocks of {@value #BLOCK} images, so an image scores the same alone or in a batch.
 */
public final class TransformClassifier extends BaseDetector<TransformConfig> implements NativeResourceOwner {
    static final int BLOCK = 8;

    private final NDManager root;
    private final SequentialBlock net;
    private final TransformSet transforms;
    /** Dirichlet parameters per (transformation, head): {@code [T][sum of head classes]}, or null. */
    private final float[] alpha;

    private TransformClassifier(TransformConfig config, Provenance provenance, Calibration calibration,
            NDManager root, SequentialBlock net, float[] alpha) {
        super(config, config.preprocessing(), provenance, calibration);
        this.root = root;
        this.net = net;
        this.transforms = TransformSet.of(config);
        this.alpha = alpha;
    }

    /** Fits on normal images. */
    public static TransformClassifier fit(ImageSet normals, TransformConfig config) {
        return fit(normals, config, ProgressListener.NONE);
    }

    /** Fits on normal images; progress {@code "epoch e/E loss=..."} per epoch, then {@code "dirichlet"}. */
    public static TransformClassifier fit(ImageSet normals, TransformConfig config, ProgressListener listener) {
        Objects.requireNonNull(normals, "normals");
        Objects.requireNonNull(config, "config");
        ProgressListener l = listener == null ? ProgressListener.NONE : listener;
        Inputs.checkNormals(normals, config.typeId());
        long t0 = System.nanoTime();
        float[][] all = Inputs.arrays(normals, config.preprocessing());
        float[][] xs = Inputs.subset(all, config.trainLimit(), config.seed());
        TransformSet ts = TransformSet.of(config);
        Shape sample = new Shape(config.channels(), config.size(), config.size());
        NDManager root = Tensors.newRootManager();
        try {
            SequentialBlock net = network(config, ts);
            TrainingLoop.initialize(net, root, config.seed(), new Shape(2).addAll(sample));
            BatchSource data = new BatchSource() {
                @Override
                public int size() {
                    return xs.length * ts.size();
                }

                @Override
                public NDList batch(NDManager m, int[] indices, java.util.Random random) {
                    int[] img = new int[indices.length];
                    int[] t = new int[indices.length];
                    for (int i = 0; i < indices.length; i++) {
                        img[i] = indices[i] / ts.size();
                        t[i] = indices[i] % ts.size();
                    }
                    NDList out = new NDList();
                    out.add(ts.apply(Inputs.batch(m, xs, img, sample), t, config.padding()));
                    for (int h = 0; h < ts.heads(); h++) {
                        out.add(m.create(ts.labels(h, t)));
                    }
                    return out;
                }
            };
            LossFunction loss = (pass, batch) -> {
                NDList outs = pass.forward(new NDList(batch.get(0)));
                NDArray sum = null;
                for (int h = 0; h < outs.size(); h++) {
                    NDArray ce = outs.get(h).logSoftmax(1).gather(batch.get(h + 1).reshape(-1, 1), 1).mean().neg();
                    sum = sum == null ? ce : sum.add(ce);
                }
                return sum;
            };
            long tt = System.nanoTime();
            TrainingHistory hist = TrainingLoop.train(net, data, null, loss, config.training(), l);
            double trainS = (System.nanoTime() - tt) / 1e9;
            Map<String, String> notes = new LinkedHashMap<>(hist.notes());
            notes.put("transformations", Integer.toString(ts.size()));
            notes.put("train_images", Integer.toString(xs.length));
            long seen = (long) config.epochs() * (data.size() / config.batchSize()) * config.batchSize();
            notes.put("train_transformed_images_per_s", String.format(Locale.ROOT, "%.1f", seen / trainS));
            float[] alpha = null;
            if (config.dirichlet()) {
                l.progress("dirichlet", 0, 1);
                float[][] dx = Inputs.subset(all, config.dirichletLimit(), config.seed() + 2);
                alpha = fitDirichlet(net, root, ts, config, dx, sample);
                l.progress("dirichlet", 1, 1);
            }
            notes.put("fit_seconds", String.format(Locale.ROOT, "%.3f", (System.nanoTime() - t0) / 1e9));
            return new TransformClassifier(config, Provenance.capture(config.seed(), normals, notes), null, root, net,
                    alpha);
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    static SequentialBlock network(TransformConfig config, TransformSet ts) {
        List<Block> heads = new ArrayList<>();
        for (int h = 0; h < ts.heads(); h++) {
            heads.add(Nets.linear(ts.classes(h)));
        }
        return Nets.withHeads(Nets.trunk(config.width(), config.depth(), config.size()), heads);
    }

    /** Log-softmax outputs of every transformation of a block: {@code [n * T][sum of classes]} row-major. */
    private static float[] logProbs(SequentialBlock net, NDManager m, TransformSet ts, TransformConfig c, NDArray x) {
        int n = Math.toIntExact(x.getShape().get(0));
        int tn = ts.size();
        Shape s = x.getShape();
        NDArray rep = x.expandDims(1).broadcast(new Shape(n, tn).addAll(s.slice(1))).reshape(new Shape((long) n * tn)
                .addAll(s.slice(1)));
        int[] t = new int[n * tn];
        for (int i = 0; i < t.length; i++) {
            t[i] = i % tn;
        }
        NDArray input = ts.apply(rep, t, c.padding());
        NDList outs = net.forward(new ParameterStore(m, false), new NDList(input), false);
        NDArray[] parts = new NDArray[outs.size()];
        for (int h = 0; h < outs.size(); h++) {
            parts[h] = outs.get(h).logSoftmax(1);
        }
        NDArray all = parts[0];
        for (int h = 1; h < parts.length; h++) {
            all = all.concat(parts[h], 1);
        }
        return all.toType(DataType.FLOAT32, false).toFloatArray();
    }

    private static float[] fitDirichlet(SequentialBlock net, NDManager root, TransformSet ts, TransformConfig c,
            float[][] xs, Shape sample) {
        int width = ts.totalClasses();
        int tn = ts.size();
        double[] sumLog = new double[tn * width];
        double[] sumP = new double[tn * width];
        for (int from = 0; from < xs.length; from += BLOCK) {
            int count = Math.min(BLOCK, xs.length - from);
            int[] idx = new int[BLOCK];
            for (int i = 0; i < BLOCK; i++) {
                idx[i] = from + Math.min(i, count - 1);
            }
            try (NDManager m = root.newSubManager()) {
                float[] lp = logProbs(net, m, ts, c, Inputs.batch(m, xs, idx, sample));
                for (int i = 0; i < count; i++) {
                    for (int k = 0; k < tn * width; k++) {
                        double v = lp[i * tn * width + k];
                        sumLog[k] += v;
                        sumP[k] += Math.exp(v);
                    }
                }
            }
        }
        float[] alpha = new float[tn * width];
        for (int t = 0; t < tn; t++) {
            int off = 0;
            for (int h = 0; h < ts.heads(); h++) {
                int k = ts.classes(h);
                double[] logHat = new double[k];
                double[] init = new double[k];
                for (int j = 0; j < k; j++) {
                    logHat[j] = sumLog[t * width + off + j] / xs.length;
                    init[j] = sumP[t * width + off + j] / xs.length;
                }
                double[] a = Dirichlet.fixedPointMle(init, logHat);
                for (int j = 0; j < k; j++) {
                    alpha[t * width + off + j] = (float) a[j];
                }
                off += k;
            }
        }
        return alpha;
    }

    /** Loads a saved transformation classifier. */
    public static TransformClassifier load(Path file) throws IOException {
        return Detectors.load(file, TransformClassifier.class);
    }

    static TransformClassifier restore(ModelArchive a) throws IOException {
        TransformConfig config;
        try {
            config = TransformConfig.fromParameters(a.typeId(), a.config());
        } catch (IllegalArgumentException e) {
            throw new CorruptModelException(a.file(), "invalid config: " + e.getMessage(), e);
        }
        TransformSet ts = TransformSet.of(config);
        float[] alpha = null;
        if (config.dirichlet()) {
            if (!a.tensorNames().contains("alpha")) {
                throw new CorruptModelException(a.file(), "the Dirichlet parameters 'alpha' are missing");
            }
            alpha = a.tensor("alpha").values();
            if (alpha.length != ts.size() * ts.totalClasses()) {
                throw new CorruptModelException(a.file(), "alpha has " + alpha.length + " values, expected "
                        + ts.size() * ts.totalClasses());
            }
        }
        NDManager root = Tensors.newRootManager();
        try {
            SequentialBlock net = network(config, ts);
            TrainingLoop.initialize(net, root, config.seed(), new Shape(2, config.channels(), config.size(),
                    config.size()));
            Nets.read(net, a);
            return new TransformClassifier(config, a.provenance(), a.calibration().orElse(null), root, net, alpha);
        } catch (IOException | RuntimeException e) {
            root.close();
            throw e;
        }
    }

    /** The number of transformations. */
    public int transformationCount() {
        return transforms.size();
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
        int chunk = BLOCK * 32;
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

    private double[] scoreInputs(List<AnomalyImage> inputs) {
        TransformConfig c = config();
        Shape sample = new Shape(c.channels(), c.size(), c.size());
        int tn = transforms.size();
        int width = transforms.totalClasses();
        double[] out = new double[inputs.size()];
        for (int from = 0; from < inputs.size(); from += BLOCK) {
            int count = Math.min(BLOCK, inputs.size() - from);
            float[] lp;
            try (NDManager m = root.newSubManager()) {
                lp = logProbs(net, m, transforms, c, Inputs.padded(m, inputs.subList(from, from + count), BLOCK,
                        sample));
            }
            for (int i = 0; i < count; i++) {
                double normality = 0;
                for (int t = 0; t < tn; t++) {
                    int base = (i * tn + t) * width;
                    if (alpha != null) {
                        for (int k = 0; k < width; k++) {
                            normality += (alpha[t * width + k] - 1.0) * lp[base + k];
                        }
                    } else {
                        int off = 0;
                        for (int h = 0; h < transforms.heads(); h++) {
                            normality += lp[base + off + transforms.label(h, t)];
                            off += transforms.classes(h);
                        }
                    }
                }
                out[from + i] = -normality;
            }
        }
        return out;
    }

    @Override
    protected void writeTensors(ModelArchive.Builder archive) {
        Nets.write(net, archive);
        if (alpha != null) {
            archive.tensor("alpha", new long[] {transforms.size(), transforms.totalClasses()}, alpha.clone());
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
