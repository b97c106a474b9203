package org.anomaly4j.features;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.InvalidConfigException;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.io.ModelArchive;
import org.anomaly4j.tensor.Pca;

/**
 * What every extractor shares: raw features computed chunk by chunk (by the subclass), then an
 * optional PCA, persistence, and a one-shot cache of the training features computed while fitting
 * the PCA (a detector's usual next call is {@code extractAll} on the same training images).
 */
abstract class BaseExtractor implements FeatureExtractor {
    /** Receives the raw rows of images {@code [from, from + count)}; may be called concurrently. */
    @FunctionalInterface
    interface ChunkConsumer {
        void accept(int from, int count, float[] rawRows);
    }

    private record TrainCache(List<AnomalyImage> images, float[] features) {
    }

    protected final FeatureSpec spec;
    protected final int rawDimension;
    protected volatile Pca pca;
    private final AtomicReference<TrainCache> cache = new AtomicReference<>();

    BaseExtractor(FeatureSpec spec, int rawDimension) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.rawDimension = rawDimension;
    }

    /** Computes raw features of every image and hands them over in chunks, in any order. */
    abstract void forEachChunk(List<AnomalyImage> images, ChunkConsumer consumer, ProgressListener listener);

    @Override
    public final FeatureSpec spec() {
        return spec;
    }

    @Override
    public final int dimension() {
        Pca p = pca;
        return p == null ? rawDimension : p.components();
    }

    /** Length of the features before the PCA. */
    final int rawDimension() {
        return rawDimension;
    }

    @Override
    public final float[] extract(AnomalyImage image) {
        Objects.requireNonNull(image, "image");
        return extractAll(List.of(image), ProgressListener.NONE);
    }

    @Override
    public final float[] extractAll(List<AnomalyImage> images, ProgressListener listener) {
        ProgressListener l = listener == null ? ProgressListener.NONE : listener;
        TrainCache c = cache.getAndSet(null);
        if (c != null && sameImages(c.images, images)) {
            l.progress("features", images.size(), images.size());
            return c.features;
        }
        Pca p = pca;
        int d = dimension();
        float[] out = new float[images.size() * d];
        forEachChunk(images, (from, count, raw) -> {
            float[] z = p == null ? raw : p.transform(raw, count);
            System.arraycopy(z, 0, out, from * d, count * d);
        }, l);
        return out;
    }

    private static boolean sameImages(List<AnomalyImage> a, List<AnomalyImage> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Fits this extractor's PCA (when its spec asks for one) on the training images, keeping their
     * projected features for the next {@link #extractAll} of the same images.
     */
    final void fitPca(List<AnomalyImage> train, ProgressListener listener) {
        if (!spec.hasPca()) {
            return;
        }
        int n = train.size();
        int d = rawDimension;
        float[] raw = new float[Math.multiplyExact(n, d)];
        forEachChunk(train, (from, count, rows) -> System.arraycopy(rows, 0, raw, from * d, count * d), listener);
        listener.progress("pca", 0, 1);
        Pca fitted;
        try {
            if (spec.pcaComponents() > 0) {
                int k = spec.pcaComponents();
                if (k > Math.min(n, d)) {
                    throw FeatureSpec.problem("pca=" + k + " needs at least " + k + " training images and " + k
                            + " raw feature dimensions; got " + n + " images of " + d + " values ('" + spec + "')");
                }
                fitted = Pca.fit(raw, n, d, k, spec.whiten());
            } else {
                if (n < 2) {
                    throw FeatureSpec.problem("pca needs at least 2 training images, got " + n);
                }
                fitted = Pca.fitVariance(raw, n, d, spec.pcaVariance(), spec.whiten());
            }
        } catch (InvalidConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw FeatureSpec.problem("cannot fit the PCA of '" + spec + "': " + e.getMessage());
        }
        // rounded to float32 as the archive stores it, so that a restored extractor computes the same features
        fitted = Pca.of(round(fitted.mean()), round(fitted.componentMatrix()), round(fitted.explainedVariance()),
                (float) fitted.totalVariance(), spec.whiten());
        if (spec.whiten()) {
            for (double v : fitted.explainedVariance()) {
                if (!((float) v > 0)) {
                    throw FeatureSpec.problem("cannot whiten '" + spec + "': a component has zero variance on the "
                            + "training images; ask for fewer components");
                }
            }
        }
        pca = fitted;
        listener.progress("pca", 1, 1);
        cache.set(new TrainCache(List.copyOf(train), fitted.transform(raw, n)));
    }

    private static double[] round(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    /** Sets a restored PCA. */
    final void restorePca(Pca p) {
        pca = p;
    }

    @Override
    public void write(ModelArchive.Builder archive, String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        Stored.write(archive, prefix, spec, pca);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + spec + ", dimension " + dimension() + "]";
    }
}
