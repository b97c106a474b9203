package org.anomaly4j.data;

/**
 * Bit-exact Java port of NumPy's legacy {@code numpy.random.RandomState(seed)} (MT19937), for the
 * draws scikit-learn makes with {@code random_state=seed}: {@code randint(n)} (masked rejection
 * sampling on 32-bit outputs), {@code random_sample()} / {@code uniform()} (53-bit doubles from two
 * outputs) and {@code normal()} (the legacy polar method). Seeding is {@code mt19937_seed}: Knuth's initialisation of the 624-word state from a
 * 32-bit seed. Not thread-safe.
 */
public final class NumpyLegacyRandom {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER = 0x80000000;
    private static final int LOWER = 0x7fffffff;

    private final int[] mt = new int[N];
    private int pos;
    private boolean hasGauss;
    private double gauss;

    /**
     * {@code RandomState(seed)}.
     *
     * @param seed in {@code 0 .. 2^32 - 1}, as NumPy requires
     */
    public NumpyLegacyRandom(long seed) {
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("seed must be between 0 and 2^32 - 1, got " + seed);
        }
        int s = (int) seed;
        for (int i = 0; i < N; i++) {
            mt[i] = s;
            s = 1812433253 * (s ^ (s >>> 30)) + i + 1;
        }
        pos = N;
    }

    /** The next 32-bit output (tempered), as an unsigned value in a long. */
    public long nextUint32() {
        if (pos >= N) {
            twist();
        }
        int y = mt[pos++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    private void twist() {
        int kk = 0;
        for (; kk < N - M; kk++) {
            int y = (mt[kk] & UPPER) | (mt[kk + 1] & LOWER);
            mt[kk] = mt[kk + M] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        for (; kk < N - 1; kk++) {
            int y = (mt[kk] & UPPER) | (mt[kk + 1] & LOWER);
            mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        int y = (mt[N - 1] & UPPER) | (mt[0] & LOWER);
        mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        pos = 0;
    }

    /** {@code random_sample()}: a double in [0, 1) from two outputs ({@code (a >> 5) * 2^26 + (b >> 6)) / 2^53}. */
    public double randomSample() {
        long a = nextUint32() >>> 5;
        long b = nextUint32() >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /**
     * {@code standard_normal()} / {@code normal()}: the legacy polar method ({@code legacy_gauss}), which
     * makes two values from each accepted pair of uniforms and returns the cached second one next.
     */
    public double gauss() {
        if (hasGauss) {
            hasGauss = false;
            return gauss;
        }
        double x1;
        double x2;
        double r2;
        do {
            x1 = 2.0 * randomSample() - 1.0;
            x2 = 2.0 * randomSample() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.sqrt(-2.0 * Math.log(r2) / r2);
        gauss = f * x1;
        hasGauss = true;
        return f * x2;
    }

    /** {@code randint(n)}: uniform in {@code 0 .. n-1}, for {@code 1 <= n <= 2^32}. */
    public long randint(long n) {
        if (n < 1 || n > 0x100000000L) {
            throw new IllegalArgumentException("n must be in 1..2^32, got " + n);
        }
        long rng = n - 1;
        if (rng == 0) {
            return 0;
        }
        if (rng == 0xffffffffL) {
            return nextUint32();
        }
        long mask = rng;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        long v;
        do {
            v = nextUint32() & mask;
        } while (v > rng);
        return v;
    }
}
