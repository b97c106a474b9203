package org.anomaly4j.features;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.Preprocessing;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.io.CorruptModelException;
import org.anomaly4j.io.ModelArchive;
import org.anomaly4j.tensor.Backbone;
import org.anomaly4j.tensor.BackboneException;
import org.anomaly4j.tensor.Backbones;
import org.anomaly4j.tensor.FeatureLevel;
import org.anomaly4j.tensor.ImageBatches;
import org.anomaly4j.tensor.NativeResourceOwner;
import org.anomaly4j.tensor.Normalization;
import org.anomaly4j.tensor.Tensors;

/**
 * Globally pooled backbone feature maps: images resized to the spec's size (antialiased bilinear, 3
 * channels), normalised with the backbone's statistics, run in batches (the next batch is prepared while
 * the current one runs); each chosen level's map {@code [N, C, h, w]} is pooled over {@code h, w}
 * (avg, max, or both: {@code [avg | max]} per level) and the levels are concatenated in the spec's order.
 * Every batch works in its own sub-manager of this extractor's root manager, so nothing outlives a call;
 * {@link #close()} releases the backbone (and waits for running extractions).
 */
final class BackboneExtractor extends BaseExtractor implements NativeResourceOwner {
    private final Backbone backbone;
    private final NDManager root;
    private final int[] levels; // 0-based positions in backbone.levels()
    private final Preprocessing preprocessing;
    private final Normalization normalization;
    private final int batchSize;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;

    private BackboneExtractor(FeatureSpec fitted, Backbone backbone, int[] levels, int rawDimension) {
        super(fitted, rawDimension);
        this.backbone = backbone;
        this.levels = levels;
        this.normalization = backbone.normalization();
        this.preprocessing = Preprocessing.resize(fitted.width(), fitted.height(), normalization.channels());
        this.batchSize = Math.max(1, Math.min(64, (1 << 20) / (fitted.width() * fitted.height())));
        this.root = NDManager.newBaseManager(backbone.device(), "PyTorch");
    }

    static BackboneExtractor fit(FeatureSpec spec, List<AnomalyImage> train, long seed, ProgressListener listener) {
        long s = spec.seed() != null ? spec.seed() : seed;
        Backbone bb;
        try {
            bb = Backbones.parse(spec.backboneSpec(), s);
        } catch (BackboneException e) {
            throw FeatureSpec.problem("cannot make the backbone of '" + spec + "': " + e.getMessage());
        }
        try {
            List<Integer> chosen = spec.levels();
            int available = bb.levels().size();
            if (chosen.isEmpty()) {
                chosen = new ArrayList<>();
                for (int i = 1; i <= available; i++) {
                    chosen.add(i);
                }
            }
            for (int l : chosen) {
                if (l > available) {
                    throw FeatureSpec.problem("level " + l + " of '" + spec + "' does not exist: backbone "
                            + spec.backboneSpec() + " has " + available + " levels " + names(bb));
                }
            }
            BackboneExtractor e = create(spec.resolvedBackbone(chosen, s), bb);
            e.fitPca(train, listener);
            return e;
        } catch (RuntimeException e) {
            bb.close();
            throw e;
        }
    }

    static BackboneExtractor restore(FeatureSpec fitted, ModelArchive archive, String prefix)
            throws CorruptModelException {
        // a missing or changed weights file raises the backbone's own BackboneException, naming the file
        Backbone bb = Backbones.parse(fitted.backboneSpec(), fitted.seed());
        try {
            for (int l : fitted.levels()) {
                if (l > bb.levels().size()) {
                    throw new CorruptModelException(archive.file(), "stored features '" + fitted + "' use level " + l
                            + " but backbone " + fitted.backboneSpec() + " has " + bb.levels().size() + " levels");
                }
            }
            BackboneExtractor e = create(fitted, bb);
            e.restorePca(Stored.readPca(archive, prefix, fitted, e.rawDimension()));
            return e;
        } catch (CorruptModelException | RuntimeException e) {
            bb.close();
            throw e;
        }
    }

    private static BackboneExtractor create(FeatureSpec fitted, Backbone bb) {
        List<FeatureLevel> all = bb.levels();
        int[] idx = new int[fitted.levels().size()];
        int dim = 0;
        for (int i = 0; i < idx.length; i++) {
            idx[i] = fitted.levels().get(i) - 1;
            dim += all.get(idx[i]).channels() * fitted.pool().factor();
        }
        return new BackboneExtractor(fitted, bb, idx, dim);
    }

    private static String names(Backbone bb) {
        List<String> n = new ArrayList<>();
        for (int i = 0; i < bb.levels().size(); i++) {
            n.add((i + 1) + "=" + bb.levels().get(i).name());
        }
        return n.toString();
    }

    @Override
    void forEachChunk(List<AnomalyImage> images, ChunkConsumer consumer, ProgressListener listener) {
        if (images.isEmpty()) {
            return;
        }
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("feature extractor " + spec + " is closed");
            }
            int n = images.size();
            AtomicLong done = new AtomicLong();
            try (NDManager m = root.newSubManager()) {
                ImageBatches.of(images, preprocessing, normalization.mean(), normalization.std(), batchSize)
                        .forEach(m, (batch, from) -> {
                            int count = (int) batch.getShape().get(0);
                            consumer.accept(from, count, pool(batch));
                            listener.progress("features", done.addAndGet(count), n);
                        });
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Pooled, concatenated levels of one batch (in the batch's own manager, closed by the caller). */
    private float[] pool(NDArray batch) {
        NDList maps = backbone.features(batch.getManager(), batch);
        NDList parts = new NDList();
        int[] hw = {2};
        for (int l : levels) {
            NDArray m = maps.get(l);
            NDArray map = m.reshape(m.getShape().get(0), m.getShape().get(1), -1); // [N, C, h*w]
            switch (spec.pool()) {
                case AVG -> parts.add(map.mean(hw));
                case MAX -> parts.add(map.max(hw));
                case AVGMAX -> {
                    parts.add(map.mean(hw));
                    parts.add(map.max(hw));
                }
                default -> throw new IllegalStateException(spec.pool().toString());
            }
        }
        NDArray rows = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 1);
        return Tensors.floats(rows);
    }

    @Override
    public int liveTensorCount() {
        return closed ? 0 : Math.max(0, Tensors.liveArrays(root));
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                backbone.close();
                root.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
