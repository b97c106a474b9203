package org.anomaly4j.pixel;

import java.util.List;
import java.util.Objects;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.BaseDetector;
import org.anomaly4j.api.Calibration;
import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.ImageScore;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidImageException;
import org.anomaly4j.api.LabeledImage;
import org.anomaly4j.api.PixelMap;
import org.anomaly4j.api.Preprocessing;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.api.Provenance;
import org.anomaly4j.tensor.Backbone;
import org.anomaly4j.tensor.ImageBatches;
import org.anomaly4j.tensor.MapOps;
import org.anomaly4j.tensor.NativeResourceOwner;
import org.anomaly4j.tensor.Tensors;

/**
 * The shared skeleton of the detectors that score a backbone's feature maps (PatchCore, PaDiM,
 * SPADE): the backbone, its input normalisation, and batched scoring. {@link #scoreAll} runs the
 * backbone on batches of {@value #BATCH} images (the next batch is prepared on a background thread
 * while the current one runs); {@link #score} runs the same code on a batch of one, so a detector
 * scores an image identically alone or in a batch as long as its backbone does (the contract tests
 * check it). A subclass turns a batch's feature maps into scores and maps at model resolution.
 *
 * <p>Every batch works in its own sub-manager of this detector's root manager; the backbone and the
 * root manager are closed in {@link #release()}.
 *
 * @param <C> the configuration type
 */
public abstract class PatchDetector<C extends DetectorConfig<?>> extends BaseDetector<C>
        implements NativeResourceOwner {
    /** Images per backbone forward pass. */
    public static final int BATCH = 16;

    private final Backbone backbone;
    private final NDManager root;
    private final ImageBatches single;

    protected PatchDetector(C config, Preprocessing preprocessing, Provenance provenance, Calibration calibration,
            Backbone backbone, NDManager root) {
        super(config, preprocessing, provenance, calibration);
        this.backbone = Objects.requireNonNull(backbone, "backbone");
        this.root = Objects.requireNonNull(root, "root");
        this.single = ImageBatches.of(List.of(), preprocessing, backbone.normalization().mean(),
                backbone.normalization().std(), 1);
    }

    /** The backbone. */
    public final Backbone backbone() {
        return backbone;
    }

    /** The root manager every scoring call works under. */
    protected final NDManager root() {
        return root;
    }

    /**
     * Scores a batch: the backbone's maps of {@code n} preprocessed images (in {@code manager}, closed by
     * the caller) to one score and one map of {@code width x height} (row-major) per image.
     */
    protected abstract ModelScore[] scoreMaps(NDManager manager, NDList maps, int n, int width, int height);

    @Override
    public final boolean producesMaps() {
        return true;
    }

    @Override
    protected final ModelScore scoreModelInput(AnomalyImage modelInput) {
        Preprocessing pre = preprocessing();
        try (NDManager m = root.newSubManager()) {
            NDArray x = m.create(single.prepare(modelInput),
                    new Shape(1, pre.channels(), pre.outputHeight(), pre.outputWidth()));
            return scoreMaps(m, features(x), 1, pre.outputWidth(), pre.outputHeight())[0];
        }
    }

    @Override
    public final List<ImageScore> scoreAll(List<AnomalyImage> images, ProgressListener listener) {
        Objects.requireNonNull(images, "images");
        ProgressListener l = listener == null ? ProgressListener.NONE : listener;
        ensureOpen();
        for (AnomalyImage i : images) {
            Objects.requireNonNull(i, "image");
        }
        Preprocessing pre = preprocessing();
        Calibration cal = calibration().orElse(null);
        ImageScore[] out = new ImageScore[images.size()];
        ImageBatches.of(images, pre, backbone.normalization().mean(), backbone.normalization().std(), BATCH)
                .forEach(root, (batch, from) -> {
                    int n = (int) batch.getShape().get(0);
                    NDList maps = features(batch);
                    ModelScore[] s = scoreMaps(batch.getManager(), maps, n, pre.outputWidth(), pre.outputHeight());
                    for (int i = 0; i < n; i++) {
                        AnomalyImage img = images.get(from + i);
                        if (!Double.isFinite(s[i].score())) {
                            throw new IllegalStateException(typeId() + " produced a non-finite score "
                                    + s[i].score() + " for " + img);
                        }
                        PixelMap model = PixelMap.of(pre.outputWidth(), pre.outputHeight(), s[i].map());
                        ImageScore is = new ImageScore(s[i].score(), pre.mapToInput(model, img.width(), img.height()));
                        out[from + i] = cal == null ? is : cal.apply(is);
                    }
                    l.progress("score", from + n, images.size());
                });
        return List.of(out);
    }

    /**
     * The backbone's maps of {@code n <= BATCH} images, computed on a batch zero-padded to exactly
     * {@value #BATCH} images and cut back to {@code n}. The engine's convolutions choose their kernels by
     * batch size, and a different kernel rounds differently (measured: 2e-12 differences at stride 16);
     * with a fixed batch size an image's features do not depend on how many images it is scored with, so
     * {@link #score} and {@link #scoreAll} agree exactly. Scoring one image costs a full batch's forward.
     */
    private NDList features(NDArray batch) {
        NDManager m = batch.getManager();
        int n = (int) batch.getShape().get(0);
        NDArray x = batch;
        if (n < BATCH) {
            Shape s = batch.getShape();
            x = batch.concat(m.zeros(new Shape(BATCH - n, s.get(1), s.get(2), s.get(3)), batch.getDataType()), 0);
        }
        NDList maps = backbone.features(m, x);
        if (n == BATCH) {
            return maps;
        }
        NDList out = new NDList();
        for (NDArray a : maps) {
            out.add(a.get(new ai.djl.ndarray.index.NDIndex("0:" + n)));
        }
        return out;
    }

    @Override
    public int liveTensorCount() {
        return Tensors.liveArrays(root);
    }

    /** Closes the detector's own tensors; the backbone and the root manager are closed after it. */
    protected abstract void releaseModel();

    @Override
    protected final void release() {
        try {
            releaseModel();
        } finally {
            backbone.close();
            root.close();
        }
    }

    // ------------------------------------------------------------------------------ shared helpers

    /** Rejects an empty training set or one with an image labelled anomalous. */
    public static void checkNormals(ImageSet normals, String type) {
        Objects.requireNonNull(normals, "normals");
        if (normals.isEmpty()) {
            throw new InvalidImageException(type + " needs at least one normal training image");
        }
        for (LabeledImage li : normals) {
            if (li.isAnomalous()) {
                throw new InvalidImageException("training image " + li.id() + " is labelled anomalous: fit on normals");
            }
        }
    }

    /** Receives the backbone's maps of each training batch (valid during the call only). */
    @FunctionalInterface
    public interface MapsConsumer {
        void accept(NDList maps, int fromIndex, int count);
    }

    /**
     * Runs {@code backbone} over {@code images} in batches of {@value #BATCH} (preprocessed by {@code pre},
     * normalised as the backbone expects), each in a sub-manager of {@code manager} closed after the call.
     */
    public static void forEachBatch(Backbone backbone, List<AnomalyImage> images, Preprocessing pre,
            NDManager manager, MapsConsumer consumer, ProgressListener listener) {
        ImageBatches.of(images, pre, backbone.normalization().mean(), backbone.normalization().std(), BATCH)
                .forEach(manager, (batch, from) -> {
                    int n = (int) batch.getShape().get(0);
                    consumer.accept(backbone.features(batch.getManager(), batch), from, n);
                }, (stage, done, total) -> listener.progress("features", done, total));
    }

    /**
     * The reference post-processing of patch scores {@code [n, h, w]}: bilinear upsampling to
     * {@code width x height} then a Gaussian blur of {@code sigma} ({@link MapOps#toAnomalyMap}); one
     * row-major map per image. Each image is processed on its own: the engine's convolution rounds
     * differently for different batch sizes, and a map must not depend on its batch.
     */
    public static float[][] anomalyMaps(NDArray patchScores, int width, int height, double sigma) {
        int n = (int) patchScores.getShape().get(0);
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            try (NDManager tmp = patchScores.getManager().newSubManager()) {
                NDArray one = patchScores.get(new ai.djl.ndarray.index.NDIndex(i + ":" + (i + 1)));
                one.attach(tmp);
                NDArray m = MapOps.toAnomalyMap(one, height, width, sigma);
                m.attach(tmp);
                out[i] = m.toFloatArray();
            }
        }
        return out;
    }

    /** The maximum of {@code values[from, from + count)}. */
    public static float max(float[] values, int from, int count) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = from; i < from + count; i++) {
            m = Math.max(m, values[i]);
        }
        return m;
    }

    /** Rows of {@code [n, d, h, w]} embeddings as row-major {@code [n*h*w, d]} floats (patch by patch). */
    public static float[] patchRows(NDArray embedding) {
        try (NDManager tmp = embedding.getManager().newSubManager()) {
            NDArray t = embedding.transpose(0, 2, 3, 1);
            t.attach(tmp);
            return t.toFloatArray();
        }
    }
}
