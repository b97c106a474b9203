package org.anomaly4j.tensor;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.stream.IntStream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.Preprocessing;
import org.anomaly4j.api.ProgressListener;

/**
 * Images to normalised {@code [N, C, H, W]} float32 batches: resize and crop ({@link Preprocessing}),
 * per-channel {@code (x - mean) / std}, batching. While the caller's forward pass runs on batch
 * {@code i}, batch {@code i + 1} is prepared on background threads (preprocessing is plain Java,
 * so it overlaps with the engine's work). Order is preserved.
 *
 * <pre>{@code
 * ImageBatches.of(images, pre, mean, std, 16).forEach(manager, (batch, from) -> { ... });
 * }</pre>
 */
public final class ImageBatches {
    private final List<AnomalyImage> images;
    private final Preprocessing preprocessing;
    private final float[] mean;
    private final float[] std;
    private final int batchSize;

    private ImageBatches(List<AnomalyImage> images, Preprocessing preprocessing, float[] mean, float[] std,
            int batchSize) {
        this.images = List.copyOf(images);
        this.preprocessing = Objects.requireNonNull(preprocessing, "preprocessing");
        int c = preprocessing.channels();
        if (mean.length != c || std.length != c) {
            throw new IllegalArgumentException("mean and std need " + c + " values, got " + mean.length + " and "
                    + std.length);
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std values must be > 0, got " + s);
            }
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.mean = mean.clone();
        this.std = std.clone();
        this.batchSize = batchSize;
    }

    /** Batches of {@code images} preprocessed by {@code pre} and normalised with {@code mean}/{@code std}. */
    public static ImageBatches of(List<AnomalyImage> images, Preprocessing pre, float[] mean, float[] std,
            int batchSize) {
        return new ImageBatches(images, pre, mean, std, batchSize);
    }

    /** Receives each batch (attached to a per-batch sub-manager closed after the call) and its first index. */
    @FunctionalInterface
    public interface BatchConsumer {
        void accept(NDArray batch, int fromIndex);
    }

    /** Number of batches. */
    public int size() {
        return (images.size() + batchSize - 1) / batchSize;
    }

    /** One preprocessed, normalised image as planar floats. */
    public float[] prepare(AnomalyImage image) {
        AnomalyImage p = preprocessing.apply(image);
        float[] d = p.toArray();
        int plane = p.width() * p.height();
        for (int c = 0; c < p.channels(); c++) {
            float m = mean[c];
            float inv = 1f / std[c];
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                d[i] = (d[i] - m) * inv;
            }
        }
        return d;
    }

    private float[] prepareBatch(int b) {
        int from = b * batchSize;
        int to = Math.min(images.size(), from + batchSize);
        int per = preprocessing.channels() * preprocessing.outputWidth() * preprocessing.outputHeight();
        float[] out = new float[(to - from) * per];
        IntStream.range(from, to).parallel().forEach(i -> System.arraycopy(prepare(images.get(i)), 0, out,
                (i - from) * per, per));
        return out;
    }

    /**
     * Feeds every batch, in order, to {@code consumer}; the next batch is prepared meanwhile.
     * Reports progress as stage {@code "batches"} in images.
     */
    public void forEach(NDManager manager, BatchConsumer consumer, ProgressListener listener) {
        if (images.isEmpty()) {
            return;
        }
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "anomaly4j-batches");
            t.setDaemon(true);
            return t;
        };
        ExecutorService prefetch = Executors.newSingleThreadExecutor(tf);
        try {
            CompletableFuture<float[]> next = CompletableFuture.supplyAsync(() -> prepareBatch(0), prefetch);
            Shape one = new Shape(preprocessing.channels(), preprocessing.outputHeight(), preprocessing.outputWidth());
            for (int b = 0; b < size(); b++) {
                float[] data = join(next);
                final int nb = b + 1;
                next = nb < size() ? CompletableFuture.supplyAsync(() -> prepareBatch(nb), prefetch) : null;
                int n = data.length / (int) one.size();
                try (NDManager m = manager.newSubManager()) {
                    NDArray batch = m.create(data, new Shape(n).addAll(one));
                    consumer.accept(batch, b * batchSize);
                }
                listener.progress("batches", Math.min(images.size(), (long) (b + 1) * batchSize), images.size());
            }
        } finally {
            prefetch.shutdownNow();
        }
    }

    /** {@link #forEach(NDManager, BatchConsumer, ProgressListener)} without progress. */
    public void forEach(NDManager manager, BatchConsumer consumer) {
        forEach(manager, consumer, ProgressListener.NONE);
    }

    private static float[] join(CompletableFuture<float[]> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }
}
