package org.anomaly4j.density;

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
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import org.anomaly4j.api.Calibration;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidConfigException;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.api.Provenance;
import org.anomaly4j.features.FeatureExtractor;
import org.anomaly4j.io.CorruptModelException;
import org.anomaly4j.io.ModelArchive;
import org.anomaly4j.mixture.DenseMath;
import org.anomaly4j.tensor.ArrayDataset;
import org.anomaly4j.tensor.Autograd;
import org.anomaly4j.tensor.LossFunction;
import org.anomaly4j.tensor.Tensors;
import org.anomaly4j.tensor.TrainingHistory;
import org.anomaly4j.tensor.TrainingLoop;

/**
 * A normalizing flow on image feature vectors (survey section III-A's deep generative density models, in
 * the form DifferNet and CS-Flow use): the features are standardised with the training mean and standard
 * deviation, then mapped by a stack of affine coupling blocks ({@link FlowNet}) to a standard normal
 * latent; the network is trained by maximum likelihood (Adam, {@link TrainingLoop}, loss = mean negative
 * log-likelihood per dimension). The score of an image is the negative log-likelihood of its standardised
 * features, {@code |z|^2 / 2 + D log(2 pi) / 2 - log |det J|} (nats). No pixel maps.
 *
 * <p>Scoring runs the network in padded blocks of {@value #BLOCK} rows, so that an image scores the same
 * alone or in a batch. The network lives in native memory until {@link #close()}.
 */
public final class Flow extends FeatureDetector<FlowConfig> {
    static final int BLOCK = 64;
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private final NDManager root;
    private final FlowNet net;
    private final float[] mean;
    private final float[] scale; // 1 / std
    private final int d;

    private Flow(FlowConfig config, FeatureExtractor features, Provenance provenance, Calibration calibration,
            NDManager root, FlowNet net, float[] mean, float[] scale) {
        super(config, features, provenance, calibration);
        this.root = root;
        this.net = net;
        this.mean = mean;
        this.scale = scale;
        this.d = mean.length;
    }

    /** Fits on normal images. */
    public static Flow fit(ImageSet normals, FlowConfig config) {
        return fit(normals, config, ProgressListener.NONE);
    }

    /** Fits on normal images; progress: {@code "epoch e/E loss=..."} after every epoch. */
    public static Flow fit(ImageSet normals, FlowConfig config, ProgressListener listener) {
        checkNormals(normals, FlowConfig.TYPE);
        ProgressListener l = listener == null ? ProgressListener.NONE : listener;
        long t0 = System.nanoTime();
        Fitted f = fitFeatures(config.features(), normals, config.seed(), l);
        NDManager root = null;
        try {
            int n = f.n();
            int d = f.d();
            if (d < 2) {
                throw new InvalidConfigException("features", "a flow needs feature vectors of at least 2 values, got "
                        + d + " ('" + f.extractor().spec() + "')");
            }
            float[][] standard = standardiser(f.rows(), n, d);
            float[] mean = standard[0];
            float[] scale = standard[1];
            float[][] xs = new float[n][d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    xs[i][j] = (f.rows()[i * d + j] - mean[j]) * scale[j];
                }
            }
            root = Tensors.newRootManager();
            FlowNet net = new FlowNet(d, config.blocks(), config.hidden(), config.clamp());
            TrainingLoop.initialize(net, root, config.seed(), new Shape(1, d));
            net.zeroLastLayers();
            float invD = 1f / d;
            LossFunction nll = (pass, batch) -> {
                NDList out = pass.forward(new NDList(batch.get(0)));
                NDArray z = out.get(0);
                NDArray logDet = out.get(1);
                return Autograd.mul(Autograd.mul(z.square().sum(new int[] {1}), 0.5).sub(logDet).mean(), invD);
            };
            TrainingHistory h = TrainingLoop.train(net, ArrayDataset.of(xs, new Shape(d)), null, nll,
                    config.training(), l);
            Map<String, String> notes = new LinkedHashMap<>(h.notes());
            notes.put("features_fitted", f.extractor().spec().toString());
            notes.put("dimension", Integer.toString(d));
            notes.put("fit_seconds", String.format(Locale.ROOT, "%.3f", (System.nanoTime() - t0) / 1e9));
            Provenance prov = Provenance.capture(config.seed(), normals, notes);
            return new Flow(config, f.extractor(), prov, null, root, net, mean, scale);
        } catch (RuntimeException e) {
            if (root != null) {
                root.close();
            }
            f.extractor().close();
            throw e;
        }
    }

    /** Per-dimension mean and inverse standard deviation (a constant dimension gets scale 1). */
    private static float[][] standardiser(float[] rows, int n, int d) {
        double[] mu = DenseMath.columnMeans(rows, n, d);
        double[] var = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double z = rows[i * d + j] - mu[j];
                var[j] += z * z;
            }
        }
        double maxVar = 0;
        for (int j = 0; j < d; j++) {
            var[j] /= Math.max(1, n - 1);
            maxVar = Math.max(maxVar, var[j]);
        }
        float[] mean = new float[d];
        float[] scale = new float[d];
        for (int j = 0; j < d; j++) {
            mean[j] = (float) mu[j];
            double v = var[j] + 1e-6 * maxVar; // floor: a (near-)constant dimension must not blow up
            scale[j] = v > 0 ? (float) (1 / Math.sqrt(v)) : 1f;
        }
        return new float[][] {mean, scale};
    }

    /** Loads a saved detector of this type. */
    public static Flow load(Path file) throws IOException {
        return Detectors.load(file, Flow.class);
    }

    static Flow restore(ModelArchive a) throws IOException {
        FlowConfig config;
        try {
            config = FlowConfig.fromParameters(a.config());
        } catch (IllegalArgumentException e) {
            throw new CorruptModelException(a.file(), "invalid config: " + e.getMessage(), e);
        }
        FeatureExtractor fx = restoreFeatures(config.features(), a);
        NDManager root = null;
        try {
            int d = fx.dimension();
            float[] mean = tensor(a, "flow.mean", d);
            float[] scale = tensor(a, "flow.scale", d);
            root = Tensors.newRootManager();
            FlowNet net = new FlowNet(d, config.blocks(), config.hidden(), config.clamp());
            TrainingLoop.initialize(net, root, config.seed(), new Shape(1, d));
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
            return new Flow(config, fx, a.provenance(), a.calibration().orElse(null), root, net, mean, scale);
        } catch (IOException | RuntimeException e) {
            if (root != null) {
                root.close();
            }
            fx.close();
            throw e;
        }
    }

    @Override
    double scoreFeatures(float[] row) {
        return scoreFeatures(row, 1)[0];
    }

    @Override
    double[] scoreFeatures(float[] rows, int n) {
        double[] out = new double[n];
        for (int from = 0; from < n; from += BLOCK) {
            int count = Math.min(BLOCK, n - from);
            float[] buf = new float[BLOCK * d];
            for (int i = 0; i < count; i++) {
                for (int j = 0; j < d; j++) {
                    buf[i * d + j] = (rows[(from + i) * d + j] - mean[j]) * scale[j];
                }
            }
            float[] sq;
            float[] ld;
            try (NDManager m = root.newSubManager()) {
                NDList o = net.forward(new ParameterStore(m, false), new NDList(m.create(buf, new Shape(BLOCK, d))),
                        false);
                sq = o.get(0).square().sum(new int[] {1}).toFloatArray();
                ld = o.get(1).toFloatArray();
            }
            for (int i = 0; i < count; i++) {
                out[from + i] = 0.5 * sq[i] + d * HALF_LOG_2PI - ld[i];
            }
        }
        return out;
    }

    @Override
    void writeModel(ModelArchive.Builder b) {
        b.tensor("flow.mean", new long[] {d}, mean.clone());
        b.tensor("flow.scale", new long[] {d}, scale.clone());
        int k = 0;
        for (Pair<String, Parameter> p : net.getParameters()) {
            b.tensor(Tensors.toData("param." + k, p.getValue().getArray()));
            k++;
        }
    }

    @Override
    int modelTensorCount() {
        return Tensors.liveArrays(root);
    }

    @Override
    void releaseModel() {
        root.close();
    }
}
