package org.anomaly4j.oneclass;

/**
 * Small deterministic data sets that Java and NumPy generate bit-identically: value {@code k} (row
 * major, starting at {@code offset}) is the top 24 bits of splitmix64(k) divided by 2^24, exact in
 * float32 and float64. The NumPy twin:
 *
 * <pre>
 * def data(n, d, off):
 *     with np.errstate(over='ignore'):
 *         z = np.arange(n * d, dtype=np.uint64) + np.uint64(off)
 *         z = z * np.uint64(0x9E3779B97F4A7C15)
 *         z = (z ^ (z &gt;&gt; np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
 *         z = (z ^ (z &gt;&gt; np.uint64(27))) * np.uint64(0x94D049BB133111EB)
 *         z = z ^ (z &gt;&gt; np.uint64(31))
 *     return ((z &gt;&gt; np.uint64(40)).astype(np.float64) / 2.0**24).reshape(n, d)
 * </pre>
 */
final class SplitMixData {
    private SplitMixData() {
    }

    static float[] rows(int n, int d, long offset) {
        float[] out = new float[n * d];
        for (int k = 0; k < out.length; k++) {
            long z = (k + offset) * 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z = z ^ (z >>> 31);
            out[k] = (float) ((z >>> 40) / (double) (1 << 24));
        }
        return out;
    }
}
