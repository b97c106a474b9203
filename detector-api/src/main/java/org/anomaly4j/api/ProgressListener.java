package org.anomaly4j.api;

/**
 * Receives progress of long loops (fitting, scoring, evaluation). Implementations must be cheap
 * and thread-safe; the CLI draws a progress bar from these events.
 */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores every event. */
    ProgressListener NONE = (stage, done, total) -> { };

    /**
     * @param stage a short human-readable name of the loop ("fit", "score", "epoch 3 loss=0.12")
     * @param done  units finished so far
     * @param total units in all, or -1 when unknown
     */
    void progress(String stage, long done, long total);
}
