package org.anomaly4j.features;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.Preprocessing;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.io.CorruptModelException;
import org.anomaly4j.io.ModelArchive;

/**
 * The plain-Java kinds ({@code pixels}, {@code hog}): each image's raw vector is computed on the
 * common fork-join pool, chunks of images per task, with no engine call.
 */
final class VectorExtractor extends BaseExtractor {
    /** One image's raw vector; must be thread-safe. */
    private interface Raw {
        void compute(AnomalyImage image, float[] out, int offset);
    }

    private final Raw raw;

    private VectorExtractor(FeatureSpec fitted, int rawDimension, Raw raw) {
        super(fitted, rawDimension);
        this.raw = raw;
    }

    static VectorExtractor fit(FeatureSpec spec, List<AnomalyImage> train, ProgressListener listener) {
        FeatureSpec fitted = spec;
        if (spec.kind() == FeatureSpec.Kind.PIXELS) {
            int w = spec.width();
            int h = spec.height();
            if (w == 0) {
                AnomalyImage first = train.get(0);
                boolean same = train.stream().allMatch(i -> i.width() == first.width() && i.height() == first.height());
                w = same ? first.width() : FeatureSpec.DEFAULT_PIXEL_SIZE;
                h = same ? first.height() : FeatureSpec.DEFAULT_PIXEL_SIZE;
            }
            int c = spec.channels();
            if (c == 0) {
                c = train.stream().allMatch(i -> i.channels() == 1) ? 1 : 3;
            }
            fitted = spec.resolvedPixels(w, h, c);
        }
        VectorExtractor e = create(fitted);
        e.fitPca(train, listener);
        return e;
    }

    static VectorExtractor restore(FeatureSpec fitted, ModelArchive archive, String prefix)
            throws CorruptModelException {
        VectorExtractor e = create(fitted);
        e.restorePca(Stored.readPca(archive, prefix, fitted, e.rawDimension()));
        return e;
    }

    private static VectorExtractor create(FeatureSpec fitted) {
        int w = fitted.width();
        int h = fitted.height();
        if (fitted.kind() == FeatureSpec.Kind.PIXELS) {
            int c = fitted.channels();
            double blur = fitted.blur();
            double power = fitted.power();
            return new VectorExtractor(fitted, Math.multiplyExact(Math.multiplyExact(w, h), c),
                    (image, out, offset) -> {
                        AnomalyImage p = image.channels() == c ? image : image.withChannels(c);
                        if (p.width() == w && p.height() == h) {
                            p.copyTo(out, offset);
                        } else {
                            System.arraycopy(Resizer.resize(p, w, h), 0, out, offset, w * h * c);
                        }
                        Preprocessing.tone(out, offset, w, h, c, blur, power);
                    });
        }
        int hogLength = Hog.length(w, h);
        return new VectorExtractor(fitted, hogLength + GrayLevelStatistics.LENGTH, (image, out, offset) -> {
            float[] grey = Resizer.resize(image.channels() == 1 ? image : image.toGrey(), w, h);
            Hog.compute(grey, w, h, out, offset);
            GrayLevelStatistics.compute(grey, w, h, out, offset + hogLength);
        });
    }

    @Override
    void forEachChunk(List<AnomalyImage> images, ChunkConsumer consumer, ProgressListener listener) {
        int n = images.size();
        if (n == 0) {
            return;
        }
        int d = rawDimension;
        int chunk = Chunks.size(n);
        AtomicLong done = new AtomicLong();
        IntStream.range(0, (n + chunk - 1) / chunk).parallel().forEach(c -> {
            int from = c * chunk;
            int m = Math.min(n, from + chunk) - from;
            float[] rows = new float[m * d];
            for (int i = 0; i < m; i++) {
                raw.compute(images.get(from + i), rows, i * d);
            }
            consumer.accept(from, m, rows);
            listener.progress("features", done.addAndGet(m), n);
        });
    }
}
