package org.anomaly4j.data;

import java.util.Objects;

import org.anomaly4j.api.ProgressListener;

/**
 * Options of the data-set loaders: an optional resize of every image at load time (masks are
 * resized with it, nearest neighbour, so they stay aligned), the number of decoding threads, and a
 * progress listener that receives stage {@code "load"}.
 *
 * <pre>{@code
 * LoadOptions o = LoadOptions.resized(224, 224).withProgress(listener);
 * }</pre>
 *
 * @param width    target width, or 0 to keep each image's own size (then {@code height} must be 0 too)
 * @param height   target height, or 0 to keep each image's own size
 * @param threads  decoding threads, 1 to 16
 * @param progress receives {@code ("load", done, total)}; never null
 */
public record LoadOptions(int width, int height, int threads, ProgressListener progress) {
    /** The progress stage reported by every loader. */
    public static final String STAGE = "load";

    /** Default decoding threads: the available processors, clamped to 2..4. */
    public static final int DEFAULT_THREADS = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private static final LoadOptions DEFAULTS = new LoadOptions(0, 0, DEFAULT_THREADS, ProgressListener.NONE);

    public LoadOptions {
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("width and height must be >= 0 (0 = keep original size), got "
                    + width + "x" + height);
        }
        if ((width == 0) != (height == 0)) {
            throw new IllegalArgumentException("width and height must both be 0 (keep size) or both positive, got "
                    + width + "x" + height);
        }
        if (threads < 1 || threads > 16) {
            throw new IllegalArgumentException("threads must be in 1..16, got " + threads);
        }
        Objects.requireNonNull(progress, "progress");
    }

    /** Original sizes, default threads, no progress reporting. */
    public static LoadOptions defaults() {
        return DEFAULTS;
    }

    /** Every image (and mask) resized to {@code width x height}. */
    public static LoadOptions resized(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("resize target must be positive, got " + width + "x" + height);
        }
        return new LoadOptions(width, height, DEFAULT_THREADS, ProgressListener.NONE);
    }

    /** These options with another resize target (0x0 = keep original size). */
    public LoadOptions withSize(int newWidth, int newHeight) {
        return new LoadOptions(newWidth, newHeight, threads, progress);
    }

    /** These options with another progress listener ({@code null} = none). */
    public LoadOptions withProgress(ProgressListener listener) {
        return new LoadOptions(width, height, threads, listener == null ? ProgressListener.NONE : listener);
    }

    /** These options with another number of decoding threads (1..16). */
    public LoadOptions withThreads(int n) {
        return new LoadOptions(width, height, n, progress);
    }

    /** Whether images are resized at load time. */
    public boolean resizes() {
        return width > 0;
    }
}
