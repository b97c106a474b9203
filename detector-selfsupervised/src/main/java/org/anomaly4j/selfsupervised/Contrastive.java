package org.anomaly4j.selfsupervised;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
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
import org.anomaly4j.tensor.Autograd;
import org.anomaly4j.tensor.BatchSource;
import org.anomaly4j.tensor.CovarianceEstimator;
import org.anomaly4j.tensor.GaussianModel;
import org.anomaly4j.tensor.LossFunction;
import org.anomaly4j.tensor.NativeResourceOwner;
import org.anomaly4j.tensor.Tensors;
import org.anomaly4j.tensor.TrainingHistory;
import org.anomaly4j.tensor.TrainingLoop;

/**
 * Contrastive self-supervised detectors (survey section III-D), CSI and SSD ({@link ContrastiveConfig}).
 * A CNN encoder with a projection head is trained on normal images with SimCLR's NT-Xent loss: two
 * augmented views of an instance attract, all other instances of the batch repel. For CSI the four
 * rotations of each image are distinct instances ("distributionally shifted" negatives) and a linear
 * head also learns to classify the rotation; for SSD there are no shifted instances.
 *
 * <p>Scores (higher = more anomalous, the negated normality scores of the papers):
 * <ul>
 *   <li>CSI: {@code -sum_k [ w_k max_m <z(R_k x), u_m^k> + v_k s_k(R_k x) ]} with {@code z} the
 *       projection, {@code u_m^k} the normalised projections of the rotated training images (the bank),
 *       {@code s_k} the rotation head's logit of the applied rotation, {@code w_k} and {@code v_k} the
 *       inverses of the training means of {@code |z|} and {@code s_k} (Tack et al.'s {@code weight_sim},
 *       {@code weight_shi}). The first term is the cosine similarity to the nearest training image
 *       times the feature norm.</li>
 *   <li>SSD: the smallest squared Mahalanobis distance of the normalised encoder features to the
 *       k-means clusters of the training features (Ledoit-Wolf covariance per cluster).</li>
 * </ul>
 * No pixel map. Scoring runs fixed, padded blocks of {@value #BLOCK} images.
 */
public final class Contrastive extends BaseDetector<ContrastiveConfig> implements NativeResourceOwner {
    static final int BLOCK = 16;

    private final NDManager root;
    private final SequentialBlock net;
    /** CSI: per rotation, the normalised training projections {@code [bank, projDim]}, transposed. */
    private final List<NDArray> bankT;
    private final float[][] bankValues;
    /** CSI: {@code w_k, v_k} interleaved. */
    private final float[] weights;
    /** SSD: cluster Gaussians, with their float-rounded means and covariances as stored. */
    private final List<GaussianModel> gaussians;
    private final float[][] clusterMeans;
    private final float[][] clusterCovariances;

    private Contrastive(ContrastiveConfig config, Provenance provenance, Calibration calibration, NDManager root,
            SequentialBlock net, float[][] bank, float[] weights, float[][] means, float[][] covariances) {
        super(config, config.preprocessing(), provenance, calibration);
        this.root = root;
        this.net = net;
        this.bankValues = bank;
        this.weights = weights;
        this.clusterMeans = means;
        this.clusterCovariances = covariances;
        List<NDArray> b = new ArrayList<>();
        if (bank != null) {
            int d = config.projDim();
            for (float[] v : bank) {
                b.add(root.create(v, new Shape(v.length / d, d)).transpose());
            }
        }
        this.bankT = List.copyOf(b);
        List<GaussianModel> g = new ArrayList<>();
        if (means != null) {
            for (int c = 0; c < means.length; c++) {
                g.add(GaussianModel.of(toDouble(means[c]), toDouble(covariances[c])));
            }
        }
        this.gaussians = List.copyOf(g);
    }

    private static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    /** Fits on normal images. */
    public static Contrastive fit(ImageSet normals, ContrastiveConfig config) {
        return fit(normals, config, ProgressListener.NONE);
    }

    /** Fits on normal images; progress {@code "epoch e/E loss=..."} per epoch. */
    public static Contrastive fit(ImageSet normals, ContrastiveConfig config, ProgressListener listener) {
        Objects.requireNonNull(normals, "normals");
        Objects.requireNonNull(config, "config");
        ProgressListener l = listener == null ? ProgressListener.NONE : listener;
        Inputs.checkNormals(normals, config.typeId());
        long t0 = System.nanoTime();
        float[][] all = Inputs.arrays(normals, config.preprocessing());
        float[][] xs = Inputs.subset(all, config.trainLimit(), config.seed());
        Shape sample = new Shape(config.channels(), config.size(), config.size());
        int shifts = config.shifts();
        NDManager root = Tensors.newRootManager();
        try {
            SequentialBlock net = network(config);
            TrainingLoop.initialize(net, root, config.seed(), new Shape(2).addAll(sample));
            BatchSource data = new BatchSource() {
                @Override
                public int size() {
                    return xs.length;
                }

                @Override
                public NDList batch(NDManager m, int[] indices, Random random) {
                    NDArray x = Inputs.batch(m, xs, indices, sample);
                    int b = indices.length;
                    NDArray inst = shifts == 1 ? x : rotations(x, shifts);
                    NDArray v1 = view(inst, config, random);
                    NDArray v2 = view(inst, config, random);
                    long[] labels = new long[2 * b * shifts];
                    for (int i = 0; i < labels.length; i++) {
                        labels[i] = (i % (b * shifts)) / b;
                    }
                    return new NDList(v1.concat(v2, 0), m.create(labels));
                }
            };
            float temperature = (float) config.temperature();
            float shiftWeight = (float) config.shiftWeight();
            LossFunction loss = (pass, batch) -> {
                NDArray input = batch.get(0);
                long n = input.getShape().get(0);
                NDList outs = pass.forward(new NDList(input));
                NDArray z = outs.get(1);
                NDArray zn = z.div(z.norm(new int[] {1}, true).add(1e-8f));
                NDManager m = input.getManager();
                NDArray sim = Autograd.div(zn.matMul(zn.transpose()), temperature).sub(Autograd.mul(m.eye((int) n), 1e9f));
                NDArray pos = m.arange(0, (int) n, 1, DataType.INT64).add(n / 2).mod(n).reshape(-1, 1);
                NDArray value = sim.logSoftmax(1).gather(pos, 1).mean().neg();
                if (shifts > 1 && shiftWeight > 0) {
                    NDArray ce = outs.get(2).logSoftmax(1).gather(batch.get(1).reshape(-1, 1), 1).mean().neg();
                    value = value.add(Autograd.mul(ce, shiftWeight));
                }
                return value;
            };
            long tt = System.nanoTime();
            TrainingHistory hist = TrainingLoop.train(net, data, null, loss, config.training(), l);
            double trainS = (System.nanoTime() - tt) / 1e9;
            Map<String, String> notes = new LinkedHashMap<>(hist.notes());
            notes.put("train_images", Integer.toString(xs.length));
            long seen = (long) config.epochs() * (xs.length / config.batchSize()) * config.batchSize();
            notes.put("train_images_per_s", String.format(Locale.ROOT, "%.1f", seen / trainS));
            notes.put("train_views_per_s", String.format(Locale.ROOT, "%.1f", 2.0 * shifts * seen / trainS));
            float[][] bx = Inputs.subset(all, config.bankLimit(), config.seed() + 2);
            Features f = features(net, root, config, bx, sample);
            float[][] bank = null;
            float[] weights = null;
            float[][] means = null;
            float[][] covs = null;
            if (config.shifted()) {
                bank = new float[shifts][];
                weights = new float[2 * shifts];
                int d = config.projDim();
                for (int k = 0; k < shifts; k++) {
                    bank[k] = new float[bx.length * d];
                    double normSum = 0;
                    double logitSum = 0;
                    for (int i = 0; i < bx.length; i++) {
                        double nn = 0;
                        for (int j = 0; j < d; j++) {
                            float v = f.proj[k][i * d + j];
                            nn += (double) v * v;
                        }
                        double norm = Math.sqrt(nn);
                        normSum += norm;
                        for (int j = 0; j < d; j++) {
                            bank[k][i * d + j] = (float) (f.proj[k][i * d + j] / Math.max(norm, 1e-12));
                        }
                        logitSum += f.shiftLogit[k][i];
                    }
                    weights[2 * k] = (float) (bx.length / Math.max(normSum, 1e-12));
                    double lm = logitSum / bx.length;
                    weights[2 * k + 1] = Math.abs(lm) > 1e-6 ? (float) (1 / lm) : 0f;
                }
            } else {
                int d = Nets.featureDim(config.width(), config.depth());
                int k = Math.min(config.clusters(), bx.length);
                int[] assign = k <= 1 ? new int[bx.length]
                        : org.anomaly4j.mixture.KMeans.fit(org.anomaly4j.mixture.DenseMath.toDoubles(f.features),
                                bx.length, d, k, org.anomaly4j.mixture.KMeans.Draws.numpy(config.seed() + 3), 300)
                                .labels();
                List<float[]> ms = new ArrayList<>();
                List<float[]> cs = new ArrayList<>();
                for (int c = 0; c < k; c++) {
                    int count = 0;
                    for (int a : assign) {
                        count += a == c ? 1 : 0;
                    }
                    if (count < 2) {
                        continue;
                    }
                    float[] rows = new float[count * d];
                    int r = 0;
                    for (int i = 0; i < bx.length; i++) {
                        if (assign[i] == c) {
                            System.arraycopy(f.features, i * d, rows, r * d, d);
                            r++;
                        }
                    }
                    GaussianModel g = GaussianModel.fit(rows, count, d, CovarianceEstimator.ledoitWolf());
                    ms.add(toFloat(g.mean()));
                    cs.add(toFloat(g.covariance()));
                }
                if (ms.isEmpty()) {
                    throw new org.anomaly4j.api.InvalidImageException("ssd needs at least 2 training images per cluster");
                }
                means = ms.toArray(new float[0][]);
                covs = cs.toArray(new float[0][]);
                notes.put("clusters_used", Integer.toString(means.length));
            }
            notes.put("fit_seconds", String.format(Locale.ROOT, "%.3f", (System.nanoTime() - t0) / 1e9));
            return new Contrastive(config, Provenance.capture(config.seed(), normals, notes), null, root, net, bank,
                    weights, means, covs);
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    private static float[] toFloat(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    /** The {@code shifts} rotations of a batch, rotation-major: {@code [k * B + i] = rot90^k(x_i)}. */
    static NDArray rotations(NDArray x, int shifts) {
        NDArray out = x;
        for (int k = 1; k < shifts; k++) {
            out = out.concat(x.rotate90(k, new int[] {2, 3}), 0);
        }
        return out;
    }

    /** One SimCLR view of each sample, mapped to the network's range. */
    private static NDArray view(NDArray x, ContrastiveConfig c, Random random) {
        NDArray v = Augment.resizedCrop(x, c.cropScale(), 0.5, random);
        if (c.jitter() > 0) {
            v = Augment.colourJitter(v, c.jitter(), 0.8, c.channels() == 3 ? 0.2 : 0, random);
        }
        return Inputs.normalize(v);
    }

    static SequentialBlock network(ContrastiveConfig config) {
        int fd = Nets.featureDim(config.width(), config.depth());
        List<Block> heads = new ArrayList<>();
        heads.add(Blocks.identityBlock());
        heads.add(Nets.projection(fd, config.projDim()));
        if (config.shifted()) {
            heads.add(Nets.linear(ContrastiveConfig.SHIFTS));
        }
        return Nets.withHeads(Nets.trunk(config.width(), config.depth(), config.size()), heads);
    }

    /** Evaluation-mode outputs for every rotation of the given images. */
    private record Features(float[] features, float[][] proj, float[][] shiftLogit) {
    }

    private static Features features(SequentialBlock net, NDManager root, ContrastiveConfig c, float[][] xs,
            Shape sample) {
        int shifts = c.shifts();
        int fd = Nets.featureDim(c.width(), c.depth());
        int d = c.projDim();
        float[] feats = new float[xs.length * fd];
        float[][] proj = new float[shifts][xs.length * d];
        float[][] logit = new float[shifts][xs.length];
        for (int from = 0; from < xs.length; from += BLOCK) {
            int count = Math.min(BLOCK, xs.length - from);
            int[] idx = new int[BLOCK];
            for (int i = 0; i < BLOCK; i++) {
                idx[i] = from + Math.min(i, count - 1);
            }
            try (NDManager m = root.newSubManager()) {
                NDList outs = forward(net, m, Inputs.batch(m, xs, idx, sample), shifts);
                float[] f = outs.get(0).toFloatArray();
                float[] z = outs.get(1).toFloatArray();
                float[] s = shifts > 1 ? outs.get(2).toFloatArray() : null;
                for (int i = 0; i < count; i++) {
                    System.arraycopy(f, i * fd, feats, (from + i) * fd, fd);
                    for (int k = 0; k < shifts; k++) {
                        int row = k * BLOCK + i;
                        System.arraycopy(z, row * d, proj[k], (from + i) * d, d);
                        if (s != null) {
                            logit[k][from + i] = s[row * shifts + k];
                        }
                    }
                }
            }
        }
        if (!c.shifted()) {
            normalizeRows(feats, fd);
        }
        return new Features(feats, proj, logit);
    }

    private static NDList forward(SequentialBlock net, NDManager m, NDArray x, int shifts) {
        NDArray in = Inputs.normalize(shifts > 1 ? rotations(x, shifts) : x);
        return net.forward(new ParameterStore(m, false), new NDList(in), false);
    }

    private static void normalizeRows(float[] v, int d) {
        for (int i = 0; i < v.length / d; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += (double) v[i * d + j] * v[i * d + j];
            }
            double n = Math.max(Math.sqrt(s), 1e-12);
            for (int j = 0; j < d; j++) {
                v[i * d + j] = (float) (v[i * d + j] / n);
            }
        }
    }

    /** Loads a saved contrastive detector. */
    public static Contrastive load(Path file) throws IOException {
        return Detectors.load(file, Contrastive.class);
    }

    static Contrastive restore(ModelArchive a) throws IOException {
        ContrastiveConfig config;
        try {
            config = ContrastiveConfig.fromParameters(a.typeId(), a.config());
        } catch (IllegalArgumentException e) {
            throw new CorruptModelException(a.file(), "invalid config: " + e.getMessage(), e);
        }
        float[][] bank = null;
        float[] weights = null;
        float[][] means = null;
        float[][] covs = null;
        try {
            if (config.shifted()) {
                bank = new float[config.shifts()][];
                for (int k = 0; k < bank.length; k++) {
                    bank[k] = a.tensor("bank." + k).values();
                    if (bank[k].length == 0 || bank[k].length % config.projDim() != 0) {
                        throw new CorruptModelException(a.file(), "bank." + k + " does not hold rows of "
                                + config.projDim());
                    }
                }
                weights = a.tensor("weights").values();
                if (weights.length != 2 * config.shifts()) {
                    throw new CorruptModelException(a.file(), "weights has " + weights.length + " values");
                }
            } else {
                int d = Nets.featureDim(config.width(), config.depth());
                float[] m = a.tensor("cluster_means").values();
                float[] c = a.tensor("cluster_covariances").values();
                int k = m.length / d;
                if (k < 1 || m.length != k * d || c.length != k * d * d) {
                    throw new CorruptModelException(a.file(), "cluster tensors do not match the feature dimension "
                            + d);
                }
                means = new float[k][];
                covs = new float[k][];
                for (int i = 0; i < k; i++) {
                    means[i] = java.util.Arrays.copyOfRange(m, i * d, (i + 1) * d);
                    covs[i] = java.util.Arrays.copyOfRange(c, i * d * d, (i + 1) * d * d);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new CorruptModelException(a.file(), e.getMessage(), e);
        }
        NDManager root = Tensors.newRootManager();
        try {
            SequentialBlock net = network(config);
            TrainingLoop.initialize(net, root, config.seed(), new Shape(2, config.channels(), config.size(),
                    config.size()));
            Nets.read(net, a);
            return new Contrastive(config, a.provenance(), a.calibration().orElse(null), root, net, bank, weights,
                    means, covs);
        } catch (IOException | RuntimeException e) {
            root.close();
            throw e;
        }
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

    private double[] scoreInputs(List<AnomalyImage> inputs) {
        ContrastiveConfig c = config();
        Shape sample = new Shape(c.channels(), c.size(), c.size());
        int shifts = c.shifts();
        int fd = Nets.featureDim(c.width(), c.depth());
        double[] out = new double[inputs.size()];
        for (int from = 0; from < inputs.size(); from += BLOCK) {
            int count = Math.min(BLOCK, inputs.size() - from);
            try (NDManager m = root.newSubManager()) {
                NDList outs = forward(net, m, Inputs.padded(m, inputs.subList(from, from + count), BLOCK, sample),
                        shifts);
                if (c.shifted()) {
                    float[] logits = outs.get(2).toFloatArray();
                    double[] normality = new double[count];
                    for (int k = 0; k < shifts; k++) {
                        NDArray z = outs.get(1).get(k * BLOCK + ":" + (k + 1) * BLOCK);
                        float[] best = z.matMul(bankT.get(k)).max(new int[] {1}).toFloatArray();
                        for (int i = 0; i < count; i++) {
                            normality[i] += weights[2 * k] * best[i]
                                    + weights[2 * k + 1] * logits[(k * BLOCK + i) * shifts + k];
                        }
                    }
                    for (int i = 0; i < count; i++) {
                        out[from + i] = -normality[i];
                    }
                } else {
                    float[] f = outs.get(0).toFloatArray();
                    normalizeRows(f, fd);
                    for (int i = 0; i < count; i++) {
                        float[] row = java.util.Arrays.copyOfRange(f, i * fd, (i + 1) * fd);
                        double best = Double.POSITIVE_INFINITY;
                        for (GaussianModel g : gaussians) {
                            best = Math.min(best, g.squaredMahalanobis(row));
                        }
                        out[from + i] = best;
                    }
                }
            }
        }
        return out;
    }

    @Override
    protected void writeTensors(ModelArchive.Builder archive) {
        Nets.write(net, archive);
        if (bankValues != null) {
            int d = config().projDim();
            for (int k = 0; k < bankValues.length; k++) {
                archive.tensor("bank." + k, new long[] {bankValues[k].length / d, d}, bankValues[k].clone());
            }
            archive.tensor("weights", new long[] {bankValues.length, 2}, weights.clone());
        }
        if (clusterMeans != null) {
            int k = clusterMeans.length;
            int d = clusterMeans[0].length;
            float[] m = new float[k * d];
            float[] cv = new float[k * d * d];
            for (int i = 0; i < k; i++) {
                System.arraycopy(clusterMeans[i], 0, m, i * d, d);
                System.arraycopy(clusterCovariances[i], 0, cv, i * d * d, d * d);
            }
            archive.tensor("cluster_means", new long[] {k, d}, m);
            archive.tensor("cluster_covariances", new long[] {k, d, d}, cv);
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
