package org.anomaly4j.pixel.padim;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

import org.anomaly4j.api.Calibration;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidConfigException;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.api.Provenance;
import org.anomaly4j.io.CorruptModelException;
import org.anomaly4j.io.ModelArchive;
import org.anomaly4j.io.TensorData;
import org.anomaly4j.pixel.PatchDetector;
import org.anomaly4j.pixel.PatchEmbedding;
import org.anomaly4j.tensor.Backbone;
import org.anomaly4j.tensor.Backbones;
import org.anomaly4j.tensor.GaussianField;

/**
 * PaDiM (Defard et al., "PaDiM: a patch distribution modeling framework for anomaly detection and
 * localization", ICPR 2020; survey section IV-B).
 *
 * <ol>
 * <li>Embedding: the chosen backbone levels (default strides 4, 8, 16) resized to the finest grid with
 * nearest-neighbour interpolation and concatenated (the paper's {@code embedding_concat}); optionally a
 * seeded random subset of {@code channels} channels (the paper's dimensionality reduction).</li>
 * <li>One multivariate Gaussian per grid position ({@link GaussianField}): mean and covariance of the
 * training embeddings at that position, the unbiased covariance plus {@code 0.01 I} (the paper's and
 * the reference's estimator; Ledoit–Wolf on request), inverted at fit time.</li>
 * <li>Map: the Mahalanobis distance at every position, upsampled bilinearly to the input and blurred
 * with a Gaussian of {@code map_sigma}; image score = the maximum of the map.</li>
 * </ol>
 *
 * <h2>Memory</h2>
 * The fit streams: batches of {@value PatchDetector#BATCH} images update sums per position (float32 for the
 * ridge estimator, float64 for Ledoit–Wolf), never
 * the whole feature set (the reference keeps all training embeddings, {@code N x d x P} floats). Positions
 * are handled in groups of {@value #GROUP}, each its own {@link GaussianField}, so that a batch's outer
 * products are formed for one group at a time (bounded temporaries) and each group's sums are freed as
 * soon as its precisions are computed. The fitted model holds the means and the float32 precisions
 * ({@code P d^2 4} bytes); the model file stores each precision's upper triangle only.
 */
public final class Padim extends PatchDetector<PadimConfig> {
    /** Positions per Gaussian field. */
    static final int GROUP = 256;

    private final PatchEmbedding embedding;
    private final long[] channelIndex; // null = all
    private final List<GaussianField> fields;
    private final int positions;
    private final int dim;

    private Padim(PadimConfig config, Provenance provenance, Calibration calibration, Backbone backbone,
            NDManager root, PatchEmbedding embedding, long[] channelIndex, List<GaussianField> fields) {
        super(config, config.preprocessing(), provenance, calibration, backbone, root);
        this.embedding = embedding;
        this.channelIndex = channelIndex;
        this.fields = List.copyOf(fields);
        this.positions = fields.stream().mapToInt(GaussianField::positions).sum();
        this.dim = fields.get(0).dimension();
    }

    /** Fits on normal images. */
    public static Padim fit(ImageSet normals, PadimConfig config) {
        return fit(normals, config, ProgressListener.NONE);
    }

    /** Fits on normal images; progress stage {@code features} (images). */
    public static Padim fit(ImageSet normals, PadimConfig config, ProgressListener listener) {
        checkNormals(normals, PadimConfig.TYPE);
        if (normals.size() < 2) {
            throw new org.anomaly4j.api.InvalidImageException("padim needs at least 2 training images, got "
                    + normals.size());
        }
        ProgressListener l = listener == null ? ProgressListener.NONE : listener;
        long t0 = System.nanoTime();
        Backbone bb = Backbones.parse(config.backbone(), config.seed());
        NDManager root = NDManager.newBaseManager(bb.device(), "PyTorch");
        List<GaussianField.Accumulator> acc = new ArrayList<>();
        try {
            PatchEmbedding emb = embedding(bb, config);
            long[] sel = channels(emb.dimension(), config);
            int d = sel == null ? emb.dimension() : sel.length;
            int[] grid = new int[2];
            forEachBatch(bb, normals.images(), config.preprocessing(), root, (maps, from, n) -> {
                NDArray x = select(emb.embed(maps), sel);
                int h = (int) x.getShape().get(2);
                int w = (int) x.getShape().get(3);
                int p = h * w;
                if (acc.isEmpty()) {
                    grid[0] = h;
                    grid[1] = w;
                    for (int g = 0; g < p; g += GROUP) {
                        acc.add(GaussianField.accumulator(root, d, Math.min(GROUP, p - g), sumType(config)));
                    }
                }
                NDArray flat = x.reshape(n, d, p);
                for (int g = 0; g < acc.size(); g++) {
                    int a = g * GROUP;
                    try (NDArray part = flat.get(new NDIndex(":, :, " + a + ":" + Math.min(p, a + GROUP)))) {
                        acc.get(g).add(part);
                    }
                }
            }, l);
            List<GaussianField> fields = new ArrayList<>();
            double shrinkSum = 0;
            for (GaussianField.Accumulator a : acc) {
                GaussianField f;
                try {
                    f = a.fit(config.estimator());
                } catch (ai.djl.engine.EngineException e) {
                    throw new org.anomaly4j.api.InvalidImageException("padim: a position's covariance could not be "
                            + "inverted (" + e.getMessage() + "); use more training images, a larger ridge, "
                            + "covariance=ledoit_wolf, or fewer channels");
                }
                a.close();
                fields.add(f);
                for (double s : f.shrinkage()) {
                    shrinkSum += s;
                }
            }
            int p = grid[0] * grid[1];
            Map<String, String> notes = new LinkedHashMap<>();
            notes.put("positions", Integer.toString(p));
            notes.put("grid", grid[0] + "x" + grid[1]);
            notes.put("feature_dim", Integer.toString(d));
            notes.put("embedding_dim", Integer.toString(emb.dimension()));
            notes.put("levels", emb.chosenLevels().toString());
            notes.put("covariance", config.estimator().toString());
            notes.put("mean_shrinkage", String.format(Locale.ROOT, "%.6f", shrinkSum / p));
            notes.put("model_bytes", Long.toString(4L * p * d * (d + 1)));
            notes.put("fit_seconds", String.format(Locale.ROOT, "%.3f", (System.nanoTime() - t0) / 1e9));
            return new Padim(config, Provenance.capture(config.seed(), normals, notes), null, bb, root, emb, sel, fields);
        } catch (RuntimeException e) {
            acc.forEach(GaussianField.Accumulator::close);
            root.close();
            bb.close();
            throw e;
        }
    }

    /**
     * Float32 sums for the ridge and fixed-shrinkage estimators (as the reference's float32 covariance;
     * half the memory, float-speed products); float64 for Ledoit–Wolf, whose fourth moments are formed by
     * cancellation.
     */
    static ai.djl.ndarray.types.DataType sumType(PadimConfig config) {
        return config.estimator().kind() == org.anomaly4j.tensor.CovarianceEstimator.Kind.LEDOIT_WOLF
                ? ai.djl.ndarray.types.DataType.FLOAT64 : ai.djl.ndarray.types.DataType.FLOAT32;
    }

    private static PatchEmbedding embedding(Backbone bb, PadimConfig config) {
        return PatchEmbedding.of(bb.levels(), config.layerStrides(), config.grid(), 1, PatchEmbedding.Resize.NEAREST);
    }

    /** The seeded random channel subset (sorted), or null for all channels. */
    static long[] channels(int total, PadimConfig config) {
        int k = config.channels();
        if (k == 0 || k == total) {
            return null;
        }
        if (k > total) {
            throw new InvalidConfigException("channels", "asks for " + k + " channels; the embedding has " + total);
        }
        List<Long> all = new ArrayList<>();
        for (long i = 0; i < total; i++) {
            all.add(i);
        }
        java.util.Collections.shuffle(all, new Random(config.seed()));
        long[] out = all.subList(0, k).stream().mapToLong(Long::longValue).sorted().toArray();
        return out;
    }

    private static NDArray select(NDArray x, long[] sel) {
        if (sel == null) {
            return x;
        }
        NDManager m = x.getManager();
        try (NDArray idx = m.create(sel)) {
            return x.get(new NDIndex(":, {}", idx));
        }
    }

    /** Loads a saved PaDiM. */
    public static Padim load(Path file) throws IOException {
        return Detectors.load(file, Padim.class);
    }

    static Padim restore(ModelArchive a) throws IOException {
        PadimConfig config;
        try {
            config = PadimConfig.fromParameters(a.config());
        } catch (IllegalArgumentException e) {
            throw new CorruptModelException(a.file(), "invalid config: " + e.getMessage(), e);
        }
        TensorData mean = a.tensor("gaussian.mean");
        TensorData packed = a.tensor("gaussian.precision_upper");
        Backbone bb = Backbones.parse(config.backbone(), config.seed());
        NDManager root = NDManager.newBaseManager(bb.device(), "PyTorch");
        List<GaussianField> fields = new ArrayList<>();
        try {
            PatchEmbedding emb = embedding(bb, config);
            long[] sel = channels(emb.dimension(), config);
            int d = sel == null ? emb.dimension() : sel.length;
            long[] ms = mean.shape();
            long[] ps = packed.shape();
            int tri = d * (d + 1) / 2;
            if (ms.length != 2 || ms[1] != d || ps.length != 2 || ps[0] != ms[0] || ps[1] != tri) {
                throw new CorruptModelException(a.file(), "Gaussian tensors of shapes " + Arrays.toString(ms) + " and "
                        + Arrays.toString(ps) + " do not fit " + d + "-dimensional features");
            }
            int p = (int) ms[0];
            float[] mv = mean.values();
            float[] pv = packed.values();
            for (int g = 0; g < p; g += GROUP) {
                int c = Math.min(GROUP, p - g);
                float[] full = new float[c * d * d];
                for (int i = 0; i < c; i++) {
                    unpack(pv, (long) (g + i) * tri, full, i * d * d, d);
                }
                float[] m = Arrays.copyOfRange(mv, g * d, (g + c) * d);
                fields.add(GaussianField.fromData(root, new TensorData("mean", new long[] {c, d}, m),
                        new TensorData("precision", new long[] {c, d, d}, full)));
            }
            return new Padim(config, a.provenance(), a.calibration().orElse(null), bb, root, emb, sel, fields);
        } catch (IOException | RuntimeException e) {
            fields.forEach(GaussianField::close);
            root.close();
            bb.close();
            throw e;
        }
    }

    private static void unpack(float[] packed, long from, float[] full, int to, int d) {
        int k = (int) from;
        for (int r = 0; r < d; r++) {
            for (int c = r; c < d; c++) {
                float v = packed[k++];
                full[to + r * d + c] = v;
                full[to + c * d + r] = v;
            }
        }
    }

    /** Grid positions (one Gaussian each). */
    public int positions() {
        return positions;
    }

    /** Dimension of each Gaussian. */
    public int featureDimension() {
        return dim;
    }

    @Override
    protected ModelScore[] scoreMaps(NDManager m, NDList maps, int n, int width, int height) {
        NDArray x = select(embedding.embed(maps), channelIndex);
        int h = (int) x.getShape().get(2);
        int w = (int) x.getShape().get(3);
        if (h * w != positions) {
            throw new IllegalStateException("embedding grid " + h + "x" + w + " does not match the " + positions
                    + " fitted positions");
        }
        NDArray flat = x.reshape(n, dim, positions);
        // A batched product's rounding may depend on how many rows it has: the products always take
        // BATCH rows (zero padded), so that an image scores identically alone and in a batch, and each
        // group's precisions are read once per BATCH images.
        int padded = (n + BATCH - 1) / BATCH * BATCH;
        if (padded != n) {
            flat = flat.concat(m.zeros(new Shape(padded - n, dim, positions), flat.getDataType()), 0);
        }
        NDList blocks = new NDList();
        for (int b = 0; b < padded; b += BATCH) {
            NDArray block = flat.get(new NDIndex(b + ":" + (b + BATCH)));
            NDList parts = new NDList();
            for (int g = 0; g < fields.size(); g++) {
                int a = g * GROUP;
                parts.add(fields.get(g).squaredMahalanobis(
                        block.get(new NDIndex(":, :, " + a + ":" + Math.min(positions, a + GROUP)))));
            }
            blocks.add(parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 1));
        }
        NDArray all = (blocks.size() == 1 ? blocks.get(0) : NDArrays.concat(blocks, 0)).get(new NDIndex("0:" + n));
        NDArray dist = all.sqrt().reshape(n, h, w);
        float[][] amap = anomalyMaps(dist, width, height, config().mapSigma());
        ModelScore[] out = new ModelScore[n];
        for (int i = 0; i < n; i++) {
            out[i] = new ModelScore(max(amap[i], 0, amap[i].length), amap[i]);
        }
        return out;
    }

    @Override
    protected void writeTensors(ModelArchive.Builder archive) {
        int tri = dim * (dim + 1) / 2;
        float[] means = new float[positions * dim];
        float[] packed = new float[Math.multiplyExact(positions, tri)];
        int p0 = 0;
        for (GaussianField f : fields) {
            float[] fm = f.means();
            System.arraycopy(fm, 0, means, p0 * dim, fm.length);
            for (int i = 0; i < f.positions(); i++) {
                float[] prec = f.precision(i);
                int k = (p0 + i) * tri;
                for (int r = 0; r < dim; r++) {
                    for (int c = r; c < dim; c++) {
                        packed[k++] = prec[r * dim + c];
                    }
                }
            }
            p0 += f.positions();
        }
        archive.tensor("gaussian.mean", new long[] {positions, dim}, means);
        archive.tensor("gaussian.precision_upper", new long[] {positions, tri}, packed);
    }

    @Override
    protected void releaseModel() {
        fields.forEach(GaussianField::close);
    }
}
