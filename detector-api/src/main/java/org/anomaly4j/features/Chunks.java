package org.anomaly4j.features;

/** Work splitting for the parallel loops. */
final class Chunks {
    private Chunks() {
    }

    /** Rows per task: about eight tasks per core, between 1 and 512 rows. */
    static int size(int n) {
        int cores = Runtime.getRuntime().availableProcessors();
        return Math.max(1, Math.min(512, n / (8 * cores)));
    }
}
