package org.anomaly4j.pixel.patchsvdd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.stream.IntStream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.BaseDetector;
import org.anomaly4j.api.Calibration;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.MapFilters;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.api.Provenance;
import org.anomaly4j.io.CorruptModelException;
import org.anomaly4j.io.ModelArchive;
import org.anomaly4j.pixel.NetParams;
import org.anomaly4j.pixel.ScaleMaps;
import org.anomaly4j.pixel.TrainingImages;
import org.anomaly4j.tensor.Autograd;
import org.anomaly4j.tensor.BatchSource;
import org.anomaly4j.tensor.LossFunction;
import org.anomaly4j.tensor.NativeResourceOwner;
import org.anomaly4j.tensor.NearestNeighbors;
import org.anomaly4j.tensor.Normalization;
import org.anomaly4j.tensor.Tensors;
import org.anomaly4j.tensor.TrainingHistory;
import org.anomaly4j.tensor.TrainingLoop;

/**
 * Patch SVDD (Yi & Yoon, "Patch SVDD: patch-level SVDD for anomaly detection and segmentation",
 * ACCV 2020; survey section IV-B): a hierarchical patch encoder ({@link PatchSvddNet}) trained from
 * scratch, without any pretrained weights, then nearest-neighbour matching of patch embeddings.
 *
 * <ol>
 *   <li>Self-supervised training on random patches of the normal images, at 64 and at 32 pixels:
 *       <em>position classification</em> (an 8-way classifier on the embedding difference of a patch
 *       and one of its 8 neighbours, with jitter; cross-entropy) plus {@code lambda} times the
 *       <em>patch SVDD loss</em> (squared distance between the embeddings of a patch and a patch
 *       shifted by a few pixels), Adam.</li>
 *   <li>Memory bank: the embeddings of every training image at both patch sizes, every
 *       {@code bank_stride} pixels.</li>
 *   <li>Scoring: the embeddings of the test image every {@code query_stride} pixels, each scored by
 *       the L2 distance to its nearest bank embedding of the same patch size; a pixel gets the mean
 *       score of the patches covering it; the 64- and 32-pixel maps are multiplied (the paper's
 *       choice), blurred; image score = the map's maximum.</li>
 * </ol>
 *
 * Inputs are standardised with the per-channel mean and standard deviation of the training images.
 */
public final class PatchSvdd extends BaseDetector<PatchSvddConfig> implements NativeResourceOwner {
    private static final int[][] NEIGHBOURS = {{-1, -1}, {-1, 0}, {-1, 1}, {0, -1}, {0, 1}, {1, -1}, {1, 0}, {1, 1}};

    private final NDManager root;
    private final PatchSvddNet net;
    private final Normalization norm;
    private final float[] bank32;
    private final float[] bank64;
    private final NearestNeighbors nn32;
    private final NearestNeighbors nn64;

    private PatchSvdd(PatchSvddConfig config, Provenance provenance, Calibration calibration, NDManager root,
            PatchSvddNet net, Normalization norm, float[] bank32, float[] bank64) {
        super(config, config.preprocessing(), provenance, calibration);
        this.root = root;
        this.net = net;
        this.norm = norm;
        this.bank32 = bank32;
        this.bank64 = bank64;
        int d = config.dim();
        this.nn32 = NearestNeighbors.builder(bank32, bank32.length / d, d).build();
        this.nn64 = NearestNeighbors.builder(bank64, bank64.length / d, d).build();
    }

    /** Fits on normal images. */
    public static PatchSvdd fit(ImageSet normals, PatchSvddConfig config) {
        return fit(normals, config, ProgressListener.NONE);
    }

    /** Fits on normal images; progress: {@code "epoch e/E loss=..."}, then {@code "bank"} in images. */
    public static PatchSvdd fit(ImageSet normals, PatchSvddConfig config, ProgressListener listener) {
        Objects.requireNonNull(config, "config");
        ProgressListener l = listener == null ? ProgressListener.NONE : listener;
        TrainingImages.requireNormals(normals, PatchSvddConfig.TYPE);
        long t0 = System.nanoTime();
        int n = normals.size();
        int c = config.channels();
        float[][] raw = new float[n][];
        IntStream.range(0, n).parallel().forEach(i -> raw[i] = config.preprocessing().apply(normals.get(i).image())
                .toArray());
        Normalization norm = statistics(raw, c);
        float[][] xs = new float[n][];
        IntStream.range(0, n).parallel().forEach(i -> xs[i] = normalise(raw[i], norm, c));
        NDManager root = Tensors.newRootManager();
        try {
            PatchSvddNet net = new PatchSvddNet(config.dim(), c);
            net.initialize(root, config.seed(), true);
            BatchSource source = new PatchPairs(xs, c, config.size(), config.patchesPerImage());
            float lambda = (float) config.lambda();
            LossFunction loss = (pass, batch) -> {
                NDArray l64 = pairLosses(net, pass, batch.get(0), batch.get(1), true, lambda);
                NDArray l32 = pairLosses(net, pass, batch.get(2), batch.get(3), false, lambda);
                return l64.add(l32);
            };
            TrainingHistory h = TrainingLoop.train(net.all, source, null, loss, config.training(), l);
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            int d = config.dim();
            int step = config.bankStride() / PatchSvddNet.STRIDE;
            List<float[]> b32 = new ArrayList<>(n);
            List<float[]> b64 = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                float[][] e = embeddings(root, net, xs[i], c, config.size(), step);
                b32.add(e[0]);
                b64.add(e[1]);
                l.progress("bank", i + 1, n);
            }
            float[] bank32 = concat(b32);
            float[] bank64 = concat(b64);
            Map<String, String> notes = new LinkedHashMap<>(h.notes());
            notes.put("train_seconds", String.format(Locale.ROOT, "%.3f", trainSeconds));
            notes.put("bank32_rows", Integer.toString(bank32.length / d));
            notes.put("bank64_rows", Integer.toString(bank64.length / d));
            notes.put("fit_seconds", String.format(Locale.ROOT, "%.3f", (System.nanoTime() - t0) / 1e9));
            return new PatchSvdd(config, Provenance.capture(config.seed(), normals, notes), null, root, net, norm,
                    bank32, bank64);
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    /**
     * Position cross-entropy plus {@code lambda} times the SVDD loss of one patch size. {@code x} holds
     * four blocks of B patches (position anchor, position neighbour, SVDD anchor, SVDD neighbour),
     * {@code y} the one-hot positions {@code [B, 8]}.
     */
    private static NDArray pairLosses(PatchSvddNet net, LossFunction.Pass pass, NDArray x, NDArray y, boolean big,
            float lambda) {
        NDArray e = big ? net.embed64(pass.parameters(), x, pass.training())
                : net.embed32(pass.parameters(), x, pass.training());
        long b = y.getShape().get(0);
        NDArray a = e.get(new NDIndex("0:{}", b));
        NDArray p = e.get(new NDIndex("{}:{}", b, 2 * b));
        NDArray sa = e.get(new NDIndex("{}:{}", 2 * b, 3 * b));
        NDArray sb = e.get(new NDIndex("{}:{}", 3 * b, 4 * b));
        NDArray logits = net.position(big ? net.head64 : net.head32, pass.parameters(), a, p, pass.training());
        NDArray ce = logits.logSoftmax(1).mul(y).sum(new int[] {1}).mean().neg();
        NDArray svdd = sa.sub(sb).square().sum(new int[] {1}).mean();
        return ce.add(Autograd.mul(svdd, lambda));
    }

    /** Random patch pairs of both sizes, reproducible from the batch's generator. */
    private static final class PatchPairs implements BatchSource {
        private final float[][] images;
        private final int channels;
        private final int size;
        private final int perImage;

        PatchPairs(float[][] images, int channels, int size, int perImage) {
            this.images = images;
            this.channels = channels;
            this.size = size;
            this.perImage = perImage;
        }

        @Override
        public int size() {
            return images.length * perImage;
        }

        @Override
        public NDList batch(NDManager manager, int[] indices, Random random) {
            int b = indices.length;
            NDList out = new NDList(4);
            for (int k : new int[] {64, 32}) {
                int per = channels * k * k;
                float[] x = new float[4 * b * per];
                float[] y = new float[b * 8];
                for (int i = 0; i < b; i++) {
                    float[] img = images[indices[i] % images.length];
                    int h1 = random.nextInt(size - k + 1);
                    int w1 = random.nextInt(size - k + 1);
                    int pos = random.nextInt(8);
                    int j = Math.max(1, k / 4);
                    int h2 = clamp(h1 + NEIGHBOURS[pos][0] * (random.nextInt(j) + 3 * k / 4), size - k);
                    int w2 = clamp(w1 + NEIGHBOURS[pos][1] * (random.nextInt(j) + 3 * k / 4), size - k);
                    crop(img, h1, w1, k, x, i * per);
                    crop(img, h2, w2, k, x, (b + i) * per);
                    y[i * 8 + pos] = 1;
                    int s1 = random.nextInt(size - k + 1);
                    int t1 = random.nextInt(size - k + 1);
                    int jit = Math.max(1, k / 32);
                    int dh = 0;
                    int dw = 0;
                    while (dh == 0 && dw == 0) {
                        dh = random.nextInt(2 * jit + 1) - jit;
                        dw = random.nextInt(2 * jit + 1) - jit;
                    }
                    crop(img, s1, t1, k, x, (2 * b + i) * per);
                    crop(img, clamp(s1 + dh, size - k), clamp(t1 + dw, size - k), k, x, (3 * b + i) * per);
                }
                out.add(manager.create(x, new Shape(4L * b, channels, k, k)));
                out.add(manager.create(y, new Shape(b, 8)));
            }
            return out;
        }

        private void crop(float[] img, int top, int left, int k, float[] dst, int offset) {
            int o = offset;
            for (int c = 0; c < channels; c++) {
                for (int r = 0; r < k; r++) {
                    System.arraycopy(img, (c * size + top + r) * size + left, dst, o, k);
                    o += k;
                }
            }
        }

        private static int clamp(int v, int max) {
            return Math.max(0, Math.min(max, v));
        }
    }

    /** Per-channel mean and standard deviation (floored at 1e-3) of the training pixels. */
    private static Normalization statistics(float[][] raw, int channels) {
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int c = 0; c < channels; c++) {
            double s = 0;
            double s2 = 0;
            long count = 0;
            for (float[] x : raw) {
                int plane = x.length / channels;
                for (int i = c * plane; i < (c + 1) * plane; i++) {
                    s += x[i];
                    s2 += (double) x[i] * x[i];
                }
                count += plane;
            }
            double m = s / count;
            mean[c] = (float) m;
            std[c] = (float) Math.max(1e-3, Math.sqrt(Math.max(0, s2 / count - m * m)));
        }
        return new Normalization(mean, std);
    }

    private static float[] normalise(float[] raw, Normalization norm, int channels) {
        float[] x = raw.clone();
        int plane = x.length / channels;
        for (int c = 0; c < channels; c++) {
            float m = norm.mean()[c];
            float inv = 1f / norm.std()[c];
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                x[i] = (x[i] - m) * inv;
            }
        }
        return x;
    }

    /**
     * The embeddings of one normalised image every {@code step * 4} pixels: {@code [0]} 32-pixel,
     * {@code [1]} 64-pixel, row-major {@code [positions, D]}; {@code [2]} and {@code [3]} hold the grid
     * shapes (rows, columns) of the two.
     */
    private static float[][] embeddings(NDManager root, PatchSvddNet net, float[] x, int c, int size, int step) {
        try (NDManager m = root.newSubManager()) {
            NDArray img = m.create(x, new Shape(1, c, size, size));
            return NetParams.withoutGradients(() -> {
                NDList d = net.dense(m, img);
                float[][] out = new float[4][];
                float[] shapes = new float[4];
                for (int j = 0; j < 2; j++) {
                    NDArray e = d.get(j).get(new NDIndex("0, :, ::{}, ::{}", step, step));
                    shapes[2 * j] = e.getShape().get(1);
                    shapes[2 * j + 1] = e.getShape().get(2);
                    out[j] = e.transpose(1, 2, 0).toFloatArray();
                }
                out[2] = new float[] {shapes[0], shapes[1]};
                out[3] = new float[] {shapes[2], shapes[3]};
                return out;
            });
        }
    }

    private static float[] concat(List<float[]> parts) {
        int total = parts.stream().mapToInt(p -> p.length).sum();
        float[] out = new float[total];
        int o = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    /** Loads a saved Patch SVDD. */
    public static PatchSvdd load(Path file) throws IOException {
        return Detectors.load(file, PatchSvdd.class);
    }

    static PatchSvdd restore(ModelArchive a) throws IOException {
        PatchSvddConfig config;
        try {
            config = PatchSvddConfig.fromParameters(a.config());
        } catch (IllegalArgumentException e) {
            throw new CorruptModelException(a.file(), "invalid config: " + e.getMessage(), e);
        }
        int d = config.dim();
        int c = config.channels();
        float[] normValues = a.tensor("normalization").values();
        float[] bank32 = a.tensor("bank32").values();
        float[] bank64 = a.tensor("bank64").values();
        if (normValues.length != 2 * c || bank32.length == 0 || bank32.length % d != 0 || bank64.length == 0
                || bank64.length % d != 0) {
            throw new CorruptModelException(a.file(), "normalization of " + normValues.length + " values or banks of "
                    + bank32.length + " and " + bank64.length + " values do not fit dim " + d + " and " + c
                    + " channels");
        }
        Normalization norm = new Normalization(java.util.Arrays.copyOfRange(normValues, 0, c),
                java.util.Arrays.copyOfRange(normValues, c, 2 * c));
        NDManager root = Tensors.newRootManager();
        try {
            PatchSvddNet net = new PatchSvddNet(d, c);
            net.initialize(root, config.seed(), false);
            NetParams.read(net.encoder, "encoder", a);
            return new PatchSvdd(config, a.provenance(), a.calibration().orElse(null), root, net, norm, bank32,
                    bank64);
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
        PatchSvddConfig cfg = config();
        int size = cfg.size();
        int d = cfg.dim();
        int step = cfg.queryStride() / PatchSvddNet.STRIDE;
        float[][] e = embeddings(root, net, normalise(modelInput.toArray(), norm, cfg.channels()), cfg.channels(), size,
                step);
        float[][] maps = new float[2][];
        int[] patch = {32, 64};
        NearestNeighbors[] nn = {nn32, nn64};
        for (int j = 0; j < 2; j++) {
            int gh = (int) e[2 + j][0];
            int gw = (int) e[2 + j][1];
            NearestNeighbors.Result r = nn[j].search(e[j], gh * gw, 1);
            float[] s = new float[gh * gw];
            for (int q = 0; q < s.length; q++) {
                s[q] = r.distance(q, 0);
            }
            maps[j] = ScaleMaps.spreadPatches(s, gh, gw, cfg.queryStride(), patch[j], size, size);
        }
        float[] map = ScaleMaps.combine(maps, ScaleMaps.Combine.parse("combine", cfg.combine()));
        if (cfg.sigma() > 0) {
            map = MapFilters.gaussianBlur(map, size, size, cfg.sigma());
        }
        return new ModelScore(ScaleMaps.max(map), map);
    }

    @Override
    protected void writeTensors(ModelArchive.Builder archive) {
        NetParams.write(net.encoder, "encoder", archive);
        int c = config().channels();
        float[] nv = new float[2 * c];
        System.arraycopy(norm.mean(), 0, nv, 0, c);
        System.arraycopy(norm.std(), 0, nv, c, c);
        archive.tensor("normalization", new long[] {2, c}, nv);
        int d = config().dim();
        archive.tensor("bank32", new long[] {bank32.length / d, d}, bank32.clone());
        archive.tensor("bank64", new long[] {bank64.length / d, d}, bank64.clone());
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
