package org.anomaly4j.pixel.dfr;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.BaseDetector;
import org.anomaly4j.api.Calibration;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidConfigException;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.api.Provenance;
import org.anomaly4j.io.CorruptModelException;
import org.anomaly4j.io.ModelArchive;
import org.anomaly4j.pixel.NetParams;
import org.anomaly4j.pixel.ScaleMaps;
import org.anomaly4j.pixel.TrainingImages;
import org.anomaly4j.tensor.Backbone;
import org.anomaly4j.tensor.Backbones;
import org.anomaly4j.tensor.FeatureLevel;
import org.anomaly4j.tensor.LossFunction;
import org.anomaly4j.tensor.MapOps;
import org.anomaly4j.tensor.NativeResourceOwner;
import org.anomaly4j.tensor.Tensors;
import org.anomaly4j.tensor.TrainingHistory;
import org.anomaly4j.tensor.TrainingLoop;

/**
 * DFR, deep feature reconstruction (Shi, Yang & Qi, "Unsupervised anomaly segmentation via deep
 * feature reconstruction", Neurocomputing 2021; survey section IV-B): multi-scale regional features of
 * a pretrained backbone, reconstructed by a convolutional autoencoder of 1x1 convolutions trained on
 * normal images; the map is the feature reconstruction error.
 *
 * <ul>
 *   <li>Features: each selected level is averaged over a 3x3 neighbourhood (regional context), resized
 *       bilinearly to a common grid ({@code size / grid_stride} cells a side), the levels stacked along
 *       channels and every channel standardised with the training set's mean and deviation.</li>
 *   <li>Autoencoder: 1x1 convolutions {@code C -> (C+d)/2 -> 2d -> d -> 2d -> (C+d)/2 -> C}, BatchNorm
 *       and ReLU between them (d = {@code latent}), trained with Adam on the mean squared error.</li>
 *   <li>Map: the squared reconstruction error summed over channels per cell, upsampled bilinearly to
 *       the model resolution, blurred; image score = the map's maximum.</li>
 * </ul>
 */
public final class Dfr extends BaseDetector<DfrConfig> implements NativeResourceOwner {
    private static final int FEATURE_BATCH = 16;

    private final NDManager root;
    private final Backbone backbone;
    private final SequentialBlock autoencoder;
    private final float[] mean;
    private final float[] std;
    private final NDArray meanArray;
    private final NDArray stdArray;

    private Dfr(DfrConfig config, Provenance provenance, Calibration calibration, NDManager root, Backbone backbone,
            SequentialBlock autoencoder, float[] mean, float[] std) {
        super(config, config.preprocessing(), provenance, calibration);
        this.root = root;
        this.backbone = backbone;
        this.autoencoder = autoencoder;
        this.mean = mean;
        this.std = std;
        this.meanArray = root.create(mean, new Shape(1, mean.length, 1, 1));
        this.stdArray = root.create(std, new Shape(1, std.length, 1, 1));
    }

    /** Fits on normal images. */
    public static Dfr fit(ImageSet normals, DfrConfig config) {
        return fit(normals, config, ProgressListener.NONE);
    }

    /** Fits on normal images; progress: {@code "features"} in images, then {@code "epoch e/E loss=..."}. */
    public static Dfr fit(ImageSet normals, DfrConfig config, ProgressListener listener) {
        Objects.requireNonNull(config, "config");
        ProgressListener l = listener == null ? ProgressListener.NONE : listener;
        TrainingImages.requireNormals(normals, DfrConfig.TYPE);
        long t0 = System.nanoTime();
        Backbone backbone = Backbones.parse(config.backbone(), config.seed());
        NDManager root = Tensors.newRootManager();
        try {
            int channels = channels(backbone, config);
            int n = normals.size();
            int size = config.size();
            int g = config.grid();
            float[][] xs = TrainingImages.prepare(normals, config.preprocessing(), backbone.normalization());
            float[][] feats = new float[n][];
            Shape image = new Shape(3, size, size);
            for (int from = 0; from < n; from += FEATURE_BATCH) {
                int count = Math.min(FEATURE_BATCH, n - from);
                int[] ids = new int[count];
                for (int i = 0; i < count; i++) {
                    ids[i] = from + i;
                }
                try (NDManager m = root.newSubManager()) {
                    float[] v = stack(backbone, TrainingImages.batch(m, xs, ids, image), config).toFloatArray();
                    int per = v.length / count;
                    for (int i = 0; i < count; i++) {
                        feats[from + i] = Arrays.copyOfRange(v, i * per, (i + 1) * per);
                    }
                }
                for (int id : ids) {
                    xs[id] = null; // only the features are needed from here
                }
                l.progress("features", from + count, n);
            }
            float[] mean = new float[channels];
            float[] std = new float[channels];
            int plane = g * g;
            for (int c = 0; c < channels; c++) {
                double s = 0;
                double s2 = 0;
                for (float[] f : feats) {
                    for (int i = c * plane; i < (c + 1) * plane; i++) {
                        s += f[i];
                        s2 += (double) f[i] * f[i];
                    }
                }
                double cnt = (double) n * plane;
                double mu = s / cnt;
                mean[c] = (float) mu;
                std[c] = (float) Math.max(1e-6, Math.sqrt(Math.max(0, s2 / cnt - mu * mu)));
                for (float[] f : feats) {
                    for (int i = c * plane; i < (c + 1) * plane; i++) {
                        f[i] = (f[i] - mean[c]) / std[c];
                    }
                }
            }
            SequentialBlock ae = autoencoder(channels, config.latent());
            TrainingLoop.initialize(ae, root, config.seed(), new Shape(1, channels, g, g));
            TrainingHistory h = TrainingLoop.train(ae, TrainingImages.source(new float[][][] {feats},
                    new Shape[] {new Shape(channels, g, g)}), null, LossFunction.meanSquaredError(), config.training(), l);
            Map<String, String> notes = new LinkedHashMap<>(h.notes());
            notes.put("feature_channels", Integer.toString(channels));
            notes.put("fit_seconds", String.format(Locale.ROOT, "%.3f", (System.nanoTime() - t0) / 1e9));
            return new Dfr(config, Provenance.capture(config.seed(), normals, notes), null, root, backbone, ae, mean,
                    std);
        } catch (RuntimeException e) {
            root.close();
            backbone.close();
            throw e;
        }
    }

    /** Stacked channels of the selected levels; checks the level indices. */
    private static int channels(Backbone backbone, DfrConfig config) {
        List<FeatureLevel> all = backbone.levels();
        int c = 0;
        for (int i : config.levelIndices()) {
            if (i >= all.size()) {
                throw new InvalidConfigException("levels", "index " + i + " but backbone " + config.backbone() + " has "
                        + all.size() + " levels " + all);
            }
            c += all.get(i).channels();
        }
        return c;
    }

    /** The regional multi-level features {@code [N, C, g, g]} of a normalised batch. */
    private static NDArray stack(Backbone backbone, NDArray batch, DfrConfig config) {
        NDList maps = backbone.features(batch.getManager(), batch);
        NDList parts = new NDList();
        int g = config.grid();
        for (int i : config.levelIndices()) {
            NDArray f = Pool.avgPool2d(maps.get(i), new Shape(3, 3), new Shape(1, 1), new Shape(1, 1), false, false);
            parts.add(MapOps.upsampleBilinear(f, g, g));
        }
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 1);
    }

    /** The 1x1 convolutional autoencoder. */
    static SequentialBlock autoencoder(int channels, int latent) {
        int mid = (channels + latent) / 2;
        int[] widths = {mid, 2 * latent, latent, 2 * latent, mid};
        SequentialBlock b = new SequentialBlock();
        for (int w : widths) {
            b.add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(w).build())
                    .add(BatchNorm.builder().build()).add(Activation.reluBlock());
        }
        b.add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(channels).build());
        return b;
    }

    /** Loads a saved DFR. */
    public static Dfr load(Path file) throws IOException {
        return Detectors.load(file, Dfr.class);
    }

    static Dfr restore(ModelArchive a) throws IOException {
        DfrConfig config;
        try {
            config = DfrConfig.fromParameters(a.config());
        } catch (IllegalArgumentException e) {
            throw new CorruptModelException(a.file(), "invalid config: " + e.getMessage(), e);
        }
        Backbone backbone = Backbones.parse(config.backbone(), config.seed());
        NDManager root = Tensors.newRootManager();
        try {
            int channels = channels(backbone, config);
            float[] st = a.tensor("standardisation").values();
            if (st.length != 2 * channels) {
                throw new CorruptModelException(a.file(), "standardisation has " + st.length + " values, expected "
                        + 2 * channels);
            }
            SequentialBlock ae = autoencoder(channels, config.latent());
            TrainingLoop.initialize(ae, root, config.seed(), new Shape(1, channels, config.grid(), config.grid()));
            NetParams.read(ae, "autoencoder", a);
            return new Dfr(config, a.provenance(), a.calibration().orElse(null), root, backbone, ae,
                    Arrays.copyOfRange(st, 0, channels), Arrays.copyOfRange(st, channels, 2 * channels));
        } catch (IOException | RuntimeException e) {
            root.close();
            backbone.close();
            throw e;
        }
    }

    @Override
    public boolean producesMaps() {
        return true;
    }

    @Override
    protected ModelScore scoreModelInput(AnomalyImage modelInput) {
        DfrConfig c = config();
        int size = c.size();
        float[] x = TrainingImages.prepare(modelInput, preprocessing(), backbone.normalization(), false);
        float[] map;
        try (NDManager m = root.newSubManager()) {
            NDArray in = m.create(x, new Shape(1, 3, size, size));
            NDArray z = stack(backbone, in, c).sub(meanArray).div(stdArray);
            map = NetParams.withoutGradients(() -> {
                NDArray r = autoencoder.forward(new ParameterStore(m, false), new NDList(z), false).singletonOrThrow();
                NDArray err = r.sub(z).square().sum(new int[] {1});
                return MapOps.toAnomalyMap(err, size, size, c.sigma()).toFloatArray();
            });
        }
        return new ModelScore(ScaleMaps.max(map), map);
    }

    @Override
    protected void writeTensors(ModelArchive.Builder archive) {
        NetParams.write(autoencoder, "autoencoder", archive);
        float[] st = new float[2 * mean.length];
        System.arraycopy(mean, 0, st, 0, mean.length);
        System.arraycopy(std, 0, st, mean.length, std.length);
        archive.tensor("standardisation", new long[] {2, mean.length}, st);
    }

    @Override
    public int liveTensorCount() {
        return Tensors.liveArrays(root);
    }

    @Override
    protected void release() {
        root.close();
        backbone.close();
    }
}
