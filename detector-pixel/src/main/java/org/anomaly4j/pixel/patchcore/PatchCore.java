package org.anomaly4j.pixel.patchcore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.anomaly4j.api.Calibration;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidImageException;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.api.Provenance;
import org.anomaly4j.io.CorruptModelException;
import org.anomaly4j.io.ModelArchive;
import org.anomaly4j.io.TensorData;
import org.anomaly4j.pixel.PatchDetector;
import org.anomaly4j.pixel.PatchEmbedding;
import org.anomaly4j.tensor.Backbone;
import org.anomaly4j.tensor.Backbones;
import org.anomaly4j.tensor.Coreset;
import org.anomaly4j.tensor.NearestNeighbors;

/**
 * PatchCore (Roth et al., "Towards total recall in industrial anomaly detection", CVPR 2022; survey
 * section IV-B).
 *
 * <ol>
 * <li>Locally aware patch features: the chosen backbone levels (default strides 8 and 16), each
 * average-pooled 3x3, resized bilinearly to the finest chosen grid and concatenated
 * ({@link PatchEmbedding}).</li>
 * <li>Memory bank: the patch features of every training image, reduced to {@code coreset_ratio} of
 * its rows by k-center greedy selection ({@link Coreset}, anomalib's semantics, seeded start).</li>
 * <li>Scoring: each test patch's Euclidean distance to its nearest bank row (exact, chunked:
 * {@link NearestNeighbors}); the patch scores are upsampled bilinearly to the input and blurred with
 * a Gaussian of {@code map_sigma} (4, as the paper and anomalib). The image score is the largest
 * patch distance ({@code image_score=max}), the largest value of the smoothed map ({@code map}, as PaDiM
 * scores images) or the paper's re-weighting ({@code reweighted}, eq. 7 as anomalib computes it):
 * {@code s * (1 - softmax(d(m_test, N_b(m*)))_0)} over the {@code neighbors} bank rows nearest to the
 * patch's own nearest bank row {@code m*}.</li>
 * </ol>
 *
 * The memory bank ({@code [rows, dim]} float32) is saved in the model file; the backbone is recreated
 * from its spec (and seed, for random weights).
 */
public final class PatchCore extends PatchDetector<PatchCoreConfig> {
    private final PatchEmbedding embedding;
    private final float[] bank;
    private final int rows;
    private final int dim;
    private final NearestNeighbors nn;

    private PatchCore(PatchCoreConfig config, Provenance provenance, Calibration calibration, Backbone backbone,
            NDManager root, PatchEmbedding embedding, float[] bank, int rows) {
        super(config, config.preprocessing(), provenance, calibration, backbone, root);
        this.embedding = embedding;
        this.bank = bank;
        this.rows = rows;
        this.dim = embedding.dimension();
        this.nn = NearestNeighbors.builder(bank, rows, dim).optDevice(backbone.device()).build();
    }

    /** Fits on normal images. */
    public static PatchCore fit(ImageSet normals, PatchCoreConfig config) {
        return fit(normals, config, ProgressListener.NONE);
    }

    /** Fits on normal images; progress stages {@code features} (images) and {@code coreset} (picks). */
    public static PatchCore fit(ImageSet normals, PatchCoreConfig config, ProgressListener listener) {
        checkNormals(normals, PatchCoreConfig.TYPE);
        ProgressListener l = listener == null ? ProgressListener.NONE : listener;
        long t0 = System.nanoTime();
        Backbone bb = Backbones.parse(config.backbone(), config.seed());
        NDManager root = NDManager.newBaseManager(bb.device(), "PyTorch");
        try {
            PatchEmbedding emb = PatchEmbedding.of(bb.levels(), config.layerStrides(), config.grid(), config.pool(),
                    PatchEmbedding.Resize.BILINEAR);
            int d = emb.dimension();
            int n = normals.size();
            float[][] all = new float[1][];
            int[] perImage = new int[1];
            forEachBatch(bb, normals.images(), config.preprocessing(), root, (maps, from, count) -> {
                NDArray e = emb.embed(maps);
                int patches = (int) (e.getShape().get(2) * e.getShape().get(3));
                float[] r = patchRows(e);
                if (all[0] == null) {
                    perImage[0] = patches;
                    long total = (long) n * patches * d;
                    if (total > Integer.MAX_VALUE - 8) {
                        throw new InvalidImageException("the patch bank of " + n + " images x " + patches
                                + " patches x " + d + " features exceeds 2^31 floats; use fewer or smaller images");
                    }
                    all[0] = new float[(int) total];
                }
                System.arraycopy(r, 0, all[0], from * patches * d, r.length);
            }, l);
            int total = n * perImage[0];
            long tc = System.nanoTime();
            float[] kept;
            int m;
            if (config.coresetRatio() >= 1.0) {
                kept = all[0];
                m = total;
            } else {
                if (Coreset.coresetSize(total, config.coresetRatio()) < 1) {
                    throw new InvalidImageException("coreset_ratio " + config.coresetRatio() + " of " + total
                            + " training patches keeps none; use more images or a larger ratio");
                }
                Coreset.Selection s = Coreset.builder().setRatio(config.coresetRatio()).optSeed(config.seed()).build()
                        .select(all[0], total, d, l);
                int[] idx = s.indices();
                m = idx.length;
                kept = new float[m * d];
                for (int i = 0; i < m; i++) {
                    System.arraycopy(all[0], idx[i] * d, kept, i * d, d);
                }
            }
            all[0] = null;
            double coresetSeconds = (System.nanoTime() - tc) / 1e9;
            Map<String, String> notes = new LinkedHashMap<>();
            notes.put("patches", Integer.toString(total));
            notes.put("patches_per_image", Integer.toString(perImage[0]));
            notes.put("memory_bank_rows", Integer.toString(m));
            notes.put("feature_dim", Integer.toString(d));
            notes.put("memory_bank_bytes", Long.toString(4L * m * d));
            notes.put("levels", emb.chosenLevels().toString());
            notes.put("coreset_seconds", String.format(Locale.ROOT, "%.3f", coresetSeconds));
            notes.put("fit_seconds", String.format(Locale.ROOT, "%.3f", (System.nanoTime() - t0) / 1e9));
            return new PatchCore(config, Provenance.capture(config.seed(), normals, notes), null, bb, root, emb, kept, m);
        } catch (RuntimeException e) {
            root.close();
            bb.close();
            throw e;
        }
    }

    /** Loads a saved PatchCore. */
    public static PatchCore load(Path file) throws IOException {
        return Detectors.load(file, PatchCore.class);
    }

    static PatchCore restore(ModelArchive a) throws IOException {
        PatchCoreConfig config;
        try {
            config = PatchCoreConfig.fromParameters(a.config());
        } catch (IllegalArgumentException e) {
            throw new CorruptModelException(a.file(), "invalid config: " + e.getMessage(), e);
        }
        TensorData t = a.tensor("memory_bank");
        Backbone bb = Backbones.parse(config.backbone(), config.seed());
        NDManager root = NDManager.newBaseManager(bb.device(), "PyTorch");
        try {
            PatchEmbedding emb = PatchEmbedding.of(bb.levels(), config.layerStrides(), config.grid(), config.pool(),
                    PatchEmbedding.Resize.BILINEAR);
            long[] s = t.shape();
            if (s.length != 2 || s[1] != emb.dimension() || s[0] < 1) {
                throw new CorruptModelException(a.file(), "memory bank of shape " + java.util.Arrays.toString(s)
                        + " does not fit the " + emb.dimension() + "-dimensional embedding");
            }
            return new PatchCore(config, a.provenance(), a.calibration().orElse(null), bb, root, emb, t.values(),
                    (int) s[0]);
        } catch (IOException | RuntimeException e) {
            root.close();
            bb.close();
            throw e;
        }
    }

    /** Rows in the memory bank. */
    public int memoryBankRows() {
        return rows;
    }

    /** Dimension of a patch feature. */
    public int featureDimension() {
        return dim;
    }

    /** Bytes of the memory bank (float32). */
    public long memoryBankBytes() {
        return 4L * rows * dim;
    }

    @Override
    protected ModelScore[] scoreMaps(NDManager m, NDList maps, int n, int width, int height) {
        NDArray e = embedding.embed(maps);
        int h = (int) e.getShape().get(2);
        int w = (int) e.getShape().get(3);
        int hw = h * w;
        float[] q = patchRows(e);
        NearestNeighbors.Result r = nn.search(m, q, n * hw, 1, false);
        float[] dist = r.distances();
        float[][] amap = anomalyMaps(m.create(dist, new Shape(n, h, w)), width, height, config().mapSigma());
        ModelScore[] out = new ModelScore[n];
        boolean reweight = config().imageScore().equals("reweighted");
        boolean fromMap = config().imageScore().equals("map");
        for (int i = 0; i < n; i++) {
            if (fromMap) {
                out[i] = new ModelScore(max(amap[i], 0, amap[i].length), amap[i]);
                continue;
            }
            int best = i * hw;
            for (int p = i * hw + 1; p < (i + 1) * hw; p++) {
                if (dist[p] > dist[best]) {
                    best = p;
                }
            }
            double s = dist[best];
            if (reweight) {
                s *= weight(q, best, r.index(best, 0));
            }
            out[i] = new ModelScore(s, amap[i]);
        }
        return out;
    }

    /**
     * The paper's re-weighting factor {@code 1 - softmax(d)_0}, {@code d} the distances of the test patch
     * to the {@code neighbors} bank rows nearest to its own nearest bank row {@code nearest} (anomalib's
     * {@code compute_anomaly_score}).
     */
    private double weight(float[] q, int patch, int nearest) {
        int k = Math.min(config().neighbors(), rows);
        float[] row = new float[dim];
        System.arraycopy(bank, nearest * dim, row, 0, dim);
        NearestNeighbors.Result support = nn.search(row, 1, k);
        double[] d = new double[k];
        double mx = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            int b = support.index(0, j) * dim;
            double s = 0;
            for (int c = 0; c < dim; c++) {
                double diff = (double) q[patch * dim + c] - bank[b + c];
                s += diff * diff;
            }
            d[j] = Math.sqrt(s);
            mx = Math.max(mx, d[j]);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            sum += Math.exp(d[j] - mx);
        }
        return 1 - Math.exp(d[0] - mx) / sum;
    }

    @Override
    protected void writeTensors(ModelArchive.Builder archive) {
        archive.tensor("memory_bank", new long[] {rows, dim}, bank);
    }

    @Override
    protected void releaseModel() {
        // the bank is on the heap; the search keeps no native state between calls
    }
}
