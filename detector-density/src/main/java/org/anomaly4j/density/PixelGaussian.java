package org.anomaly4j.density;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.BaseDetector;
import org.anomaly4j.api.Calibration;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidImageException;
import org.anomaly4j.api.LabeledImage;
import org.anomaly4j.api.MapFilters;
import org.anomaly4j.api.Preprocessing;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.api.Provenance;
import org.anomaly4j.api.Stats;
import org.anomaly4j.io.CorruptModelException;
import org.anomaly4j.io.ModelArchive;
import org.anomaly4j.tensor.NativeResourceOwner;
import org.anomaly4j.tensor.Tensors;

/**
 * A per-pixel Gaussian model of normal images: the mean and standard deviation of every pixel and
 * channel over the training set. The map is the z-score, {@code sqrt(mean_c ((x - mu) / sigma)^2)},
 * smoothed; the image score is a high quantile of the map. The simplest density model with a
 * pixel-accurate map: strong on aligned images (a fixed camera over a fixed part), weak where
 * normal content moves.
 */
public final class PixelGaussian extends BaseDetector<PixelGaussianConfig> implements NativeResourceOwner {
    private static final int BATCH = 32;

    private final NDManager root;
    private final NDArray mean; // (C, H, W)
    private final NDArray invStd; // (C, H, W)

    private PixelGaussian(PixelGaussianConfig config, Provenance provenance, Calibration calibration,
            NDManager root, NDArray mean, NDArray invStd) {
        super(config, config.preprocessing(), provenance, calibration);
        this.root = root;
        this.mean = mean;
        this.invStd = invStd;
    }

    /** Fits on normal images. */
    public static PixelGaussian fit(ImageSet normals, PixelGaussianConfig config) {
        return fit(normals, config, ProgressListener.NONE);
    }

    /** Fits on normal images, reporting progress as stage "fit". */
    public static PixelGaussian fit(ImageSet normals, PixelGaussianConfig config, ProgressListener listener) {
        if (normals.isEmpty()) {
            throw new InvalidImageException("pixel-gaussian needs at least one normal training image");
        }
        for (LabeledImage li : normals) {
            if (li.isAnomalous()) {
                throw new InvalidImageException("training image " + li.id() + " is labelled anomalous: fit on normals");
            }
        }
        Preprocessing pre = config.preprocessing();
        NDManager root = Tensors.newRootManager();
        try {
            NDArray mu;
            NDArray inv;
            try (NDManager work = root.newSubManager()) {
                NDArray sum = null;
                NDArray sumSq = null;
                int n = normals.size();
                for (int start = 0; start < n; start += BATCH) {
                    List<AnomalyImage> batch = new ArrayList<>();
                    for (int i = start; i < Math.min(n, start + BATCH); i++) {
                        batch.add(pre.apply(normals.get(i).image()));
                    }
                    try (NDManager step = work.newSubManager()) {
                        NDArray x = Tensors.batch(step, batch).toType(DataType.FLOAT64, false);
                        NDArray s = x.sum(new int[] {0});
                        NDArray s2 = x.square().sum(new int[] {0});
                        sum = sum == null ? s : sum.add(s);
                        sumSq = sumSq == null ? s2 : sumSq.add(s2);
                        sum.attach(work);
                        sumSq.attach(work);
                    }
                    listener.progress("fit", Math.min(n, start + BATCH), n);
                }
                NDArray m = sum.div(n);
                NDArray var = sumSq.div(n).sub(m.square()).maximum(0);
                NDArray sd = var.sqrt().maximum(config.minStd());
                mu = m.toType(DataType.FLOAT32, false);
                inv = sd.pow(-1).toType(DataType.FLOAT32, false);
                mu.attach(root);
                inv.attach(root);
            }
            Provenance prov = Provenance.capture(config.seed(), normals, Map.of());
            return new PixelGaussian(config, prov, null, root, mu, inv);
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    /** Loads a saved pixel-gaussian detector. */
    public static PixelGaussian load(Path file) throws IOException {
        return Detectors.load(file, PixelGaussian.class);
    }

    static PixelGaussian restore(ModelArchive a) throws IOException {
        PixelGaussianConfig config;
        try {
            config = PixelGaussianConfig.fromParameters(a.config());
        } catch (IllegalArgumentException e) {
            throw new CorruptModelException(a.file(), "invalid config: " + e.getMessage(), e);
        }
        long[] expected = {config.channels(), config.height(), config.width()};
        var mu = a.tensor("mean");
        var inv = a.tensor("inv_std");
        if (!Arrays.equals(mu.shape(), expected) || !Arrays.equals(inv.shape(), expected)) {
            throw new CorruptModelException(a.file(), "tensor shapes " + Arrays.toString(mu.shape()) + " / "
                    + Arrays.toString(inv.shape()) + " do not match config " + Arrays.toString(expected));
        }
        NDManager root = Tensors.newRootManager();
        return new PixelGaussian(config, a.provenance(), a.calibration().orElse(null), root,
                Tensors.fromData(root, mu), Tensors.fromData(root, inv));
    }

    @Override
    public boolean producesMaps() {
        return true;
    }

    @Override
    protected ModelScore scoreModelInput(AnomalyImage in) {
        PixelGaussianConfig c = config();
        float[] z;
        try (NDManager m = root.newSubManager()) {
            NDArray x = Tensors.image(m, in);
            z = x.sub(mean).mul(invStd).square().mean(new int[] {0}).sqrt().toFloatArray();
        }
        float[] map = MapFilters.gaussianBlur(z, c.width(), c.height(), c.mapSigma());
        float[] sorted = map.clone();
        Arrays.sort(sorted);
        return new ModelScore(Stats.sortedQuantile(sorted, c.scoreQuantile()), map);
    }

    @Override
    protected void writeTensors(ModelArchive.Builder archive) {
        archive.tensor(Tensors.toData("mean", mean));
        archive.tensor(Tensors.toData("inv_std", invStd));
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
