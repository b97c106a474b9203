package org.anomaly4j.testdata;

/**
 * SplitMix64: a tiny generator whose output is fixed by this source alone, so the data sets are
 * the same on every JDK (unlike {@code java.util.Random#nextGaussian} or the JDK 17
 * {@code RandomGenerator} defaults, whose algorithms a JDK may change).
 */
final class Rng {
    private long state;

    Rng(long seed) {
        this.state = seed;
    }

    /** The SplitMix64 finaliser: a good 64-bit mixing function. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A seed derived from a parent seed and a sequence of tags (split, index, ...). */
    static long derive(long seed, long... tags) {
        long z = mix(seed + 0x9E3779B97F4A7C15L);
        for (long t : tags) {
            z = mix(z ^ mix(t + 0x632BE59BD9B4E019L));
        }
        return z;
    }

    long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [lo, hi). */
    double uniform(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    /** Uniform in [0, n). */
    int nextInt(int n) {
        return (int) ((nextLong() >>> 33) % n);
    }

    boolean nextBoolean() {
        return nextLong() < 0;
    }

    /** Approximately standard normal (Irwin–Hall sum of four uniforms, unit variance). */
    double gauss() {
        double s = nextDouble() + nextDouble() + nextDouble() + nextDouble() - 2.0;
        return s * 1.7320508075688772; // sqrt(3): variance of the sum is 4/12
    }
}
