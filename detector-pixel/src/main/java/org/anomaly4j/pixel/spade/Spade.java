package org.anomaly4j.pixel.spade;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
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
import org.anomaly4j.tensor.NearestNeighbors;

/**
 * SPADE, semantic pyramid anomaly detection (Cohen &amp; Hoshen, "Sub-image anomaly detection with deep
 * pyramid correspondences", 2020; survey section IV-B).
 *
 * <ol>
 * <li>Image level: the global average pool of a deep level ({@code global_layer}, default stride 32) of
 * every training image. A test image's K nearest training images by Euclidean distance are found
 * (exact); the image score is the mean distance to them.</li>
 * <li>Pixel level: the feature pyramid (default strides 4, 8, 16, resized bilinearly to the stride-8
 * grid and concatenated, {@link PatchEmbedding}) of every training image is stored. Each test position's
 * score is the distance to its nearest feature among all positions of the K neighbours' maps (the
 * paper's kappa = 1); the map is upsampled to the input and blurred (sigma 4, as the paper).</li>
 * </ol>
 *
 * The model stores the image features ({@code [N, C]}) and every training image's pixel features
 * ({@code [N, h, w, D]}, float32), so memory and model size grow with the training set (the method keeps
 * no summary; PatchCore is the bounded alternative).
 */
public final class Spade extends PatchDetector<SpadeConfig> {
    private final PatchEmbedding pixelEmbedding;
    private final PatchEmbedding globalEmbedding;
    private final float[] global; // [N, C]
    private final float[] pixels; // [N, hw, D]
    private final int images;
    private final int globalDim;
    private final int patches;
    private final int dim;
    private final NearestNeighbors imageIndex;

    private Spade(SpadeConfig config, Provenance provenance, Calibration calibration, Backbone backbone, NDManager root,
            PatchEmbedding pixelEmbedding, PatchEmbedding globalEmbedding, float[] global, float[] pixels, int images,
            int patches) {
        super(config, config.preprocessing(), provenance, calibration, backbone, root);
        this.pixelEmbedding = pixelEmbedding;
        this.globalEmbedding = globalEmbedding;
        this.global = global;
        this.pixels = pixels;
        this.images = images;
        this.globalDim = globalEmbedding.dimension();
        this.patches = patches;
        this.dim = pixelEmbedding.dimension();
        this.imageIndex = NearestNeighbors.builder(global, images, globalDim).optDevice(backbone.device()).build();
    }

    /** Fits on normal images. */
    public static Spade fit(ImageSet normals, SpadeConfig config) {
        return fit(normals, config, ProgressListener.NONE);
    }

    /** Fits (stores the training features); progress stage {@code features}. */
    public static Spade fit(ImageSet normals, SpadeConfig config, ProgressListener listener) {
        checkNormals(normals, SpadeConfig.TYPE);
        ProgressListener l = listener == null ? ProgressListener.NONE : listener;
        long t0 = System.nanoTime();
        Backbone bb = Backbones.parse(config.backbone(), config.seed());
        NDManager root = NDManager.newBaseManager(bb.device(), "PyTorch");
        try {
            PatchEmbedding pe = pixelEmbedding(bb, config);
            PatchEmbedding ge = globalEmbedding(bb, config);
            int n = normals.size();
            int d = pe.dimension();
            int gd = ge.dimension();
            float[] g = new float[n * gd];
            float[][] px = new float[1][];
            int[] hw = new int[1];
            forEachBatch(bb, normals.images(), config.preprocessing(), root, (maps, from, count) -> {
                float[] gv = pooled(ge.embed(maps));
                System.arraycopy(gv, 0, g, from * gd, gv.length);
                NDArray e = pe.embed(maps);
                int p = (int) (e.getShape().get(2) * e.getShape().get(3));
                if (px[0] == null) {
                    hw[0] = p;
                    long total = (long) n * p * d;
                    if (total > Integer.MAX_VALUE - 8) {
                        throw new InvalidImageException("the pixel features of " + n + " images x " + p + " positions x "
                                + d + " exceed 2^31 floats; use fewer or smaller images, or a coarser grid");
                    }
                    px[0] = new float[(int) total];
                }
                float[] r = patchRows(e);
                System.arraycopy(r, 0, px[0], from * p * d, r.length);
            }, l);
            Map<String, String> notes = new LinkedHashMap<>();
            notes.put("positions_per_image", Integer.toString(hw[0]));
            notes.put("feature_dim", Integer.toString(d));
            notes.put("global_dim", Integer.toString(gd));
            notes.put("gallery_bytes", Long.toString(4L * px[0].length));
            notes.put("fit_seconds", String.format(Locale.ROOT, "%.3f", (System.nanoTime() - t0) / 1e9));
            return new Spade(config, Provenance.capture(config.seed(), normals, notes), null, bb, root, pe, ge, g, px[0],
                    n, hw[0]);
        } catch (RuntimeException e) {
            root.close();
            bb.close();
            throw e;
        }
    }

    private static PatchEmbedding pixelEmbedding(Backbone bb, SpadeConfig c) {
        return PatchEmbedding.of(bb.levels(), c.layerStrides(), c.grid(), 1, PatchEmbedding.Resize.BILINEAR);
    }

    private static PatchEmbedding globalEmbedding(Backbone bb, SpadeConfig c) {
        return PatchEmbedding.of(bb.levels(), new int[] {c.globalLayer()}, c.globalLayer(), 1,
                PatchEmbedding.Resize.BILINEAR);
    }

    /** Global average pool of {@code [n, C, h, w]}: row-major {@code [n, C]}. */
    private static float[] pooled(NDArray e) {
        try (NDManager tmp = e.getManager().newSubManager()) {
            NDArray p = e.reshape(e.getShape().get(0), e.getShape().get(1), -1).mean(new int[] {2});
            p.attach(tmp);
            return p.toFloatArray();
        }
    }

    /** Loads a saved SPADE. */
    public static Spade load(Path file) throws IOException {
        return Detectors.load(file, Spade.class);
    }

    static Spade restore(ModelArchive a) throws IOException {
        SpadeConfig config;
        try {
            config = SpadeConfig.fromParameters(a.config());
        } catch (IllegalArgumentException e) {
            throw new CorruptModelException(a.file(), "invalid config: " + e.getMessage(), e);
        }
        TensorData g = a.tensor("image_features");
        TensorData p = a.tensor("pixel_features");
        Backbone bb = Backbones.parse(config.backbone(), config.seed());
        NDManager root = NDManager.newBaseManager(bb.device(), "PyTorch");
        try {
            PatchEmbedding pe = pixelEmbedding(bb, config);
            PatchEmbedding ge = globalEmbedding(bb, config);
            long[] gs = g.shape();
            long[] ps = p.shape();
            if (gs.length != 2 || gs[1] != ge.dimension() || ps.length != 3 || ps[0] != gs[0]
                    || ps[2] != pe.dimension()) {
                throw new CorruptModelException(a.file(), "feature tensors of shapes " + Arrays.toString(gs) + " and "
                        + Arrays.toString(ps) + " do not fit the configured embeddings");
            }
            return new Spade(config, a.provenance(), a.calibration().orElse(null), bb, root, pe, ge, g.values(),
                    p.values(), (int) gs[0], (int) ps[1]);
        } catch (IOException | RuntimeException e) {
            root.close();
            bb.close();
            throw e;
        }
    }

    @Override
    protected ModelScore[] scoreMaps(NDManager m, NDList maps, int n, int width, int height) {
        float[] gq = pooled(globalEmbedding.embed(maps));
        NDArray e = pixelEmbedding.embed(maps);
        int h = (int) e.getShape().get(2);
        int w = (int) e.getShape().get(3);
        if (h * w != patches) {
            throw new IllegalStateException("pixel grid " + h + "x" + w + " does not match the stored " + patches);
        }
        float[] q = patchRows(e);
        int k = Math.min(config().kImages(), images);
        NearestNeighbors.Result near = imageIndex.search(m, gq, n, k, false);
        float[] patchScores = new float[n * patches];
        double[] imageScores = new double[n];
        float[] gallery = new float[k * patches * dim];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < k; j++) {
                s += near.distance(i, j);
                System.arraycopy(pixels, near.index(i, j) * patches * dim, gallery, j * patches * dim, patches * dim);
            }
            imageScores[i] = s / k;
            NearestNeighbors nn = NearestNeighbors.builder(gallery, k * patches, dim).optDevice(m.getDevice()).build();
            float[] one = Arrays.copyOfRange(q, i * patches * dim, (i + 1) * patches * dim);
            float[] d = nn.search(m, one, patches, 1, false).distances();
            System.arraycopy(d, 0, patchScores, i * patches, patches);
        }
        float[][] amap = anomalyMaps(m.create(patchScores, new Shape(n, h, w)), width, height, config().mapSigma());
        ModelScore[] out = new ModelScore[n];
        for (int i = 0; i < n; i++) {
            out[i] = new ModelScore(imageScores[i], amap[i]);
        }
        return out;
    }

    @Override
    protected void writeTensors(ModelArchive.Builder archive) {
        archive.tensor("image_features", new long[] {images, globalDim}, global);
        archive.tensor("pixel_features", new long[] {images, patches, dim}, pixels);
    }

    @Override
    protected void releaseModel() {
        // features live on the heap
    }
}
