package org.anomaly4j.data;

/**
 * Bit-exact Java port of {@code numpy.random.default_rng(seed).permutation(n)} (NumPy 1.24).
 *
 * <p>The Python reference implementations split their data sets with NumPy's default generator;
 * reproducing that permutation exactly lets the Java code build identical train/validation/test
 * splits. The port covers the full chain used by NumPy:
 * <ol>
 *   <li>{@code SeedSequence(seed)}: the integer seed is split into little-endian 32-bit words,
 *       hash-mixed into a pool of 4 words, and {@code generate_state(4, uint64)} is drawn;</li>
 *   <li>{@code PCG64}: the 128-bit LCG (XSL-RR output) seeded via {@code pcg_setseq_128_srandom_r}
 *       with initstate = state words 0,1 and initseq = words 2,3, including the buffered upper
 *       half used by {@code next_uint32};</li>
 *   <li>{@code Generator.permutation(n)}: {@code arange(n)} shuffled by the Fisher-Yates loop of
 *       {@code _shuffle_raw}, where each index comes from {@code random_interval} (masked rejection
 *       sampling with {@code next_uint32} for bounds below 2^32, {@code next_uint64} above).</li>
 * </ol>
 */
public final class NumpyRandom {

    // SeedSequence constants (numpy/random/bit_generator.pyx)
    private static final int INIT_A = 0x43b0d7e5;
    private static final int MULT_A = 0x931e8875;
    private static final int INIT_B = 0x8b51f9dd;
    private static final int MULT_B = 0x58f38ded;
    private static final int MIX_MULT_L = 0xca01f9dd;
    private static final int MIX_MULT_R = 0x4973f715;
    private static final int XSHIFT = 16;
    private static final int POOL_SIZE = 4;

    // PCG64 default multiplier 0x2360ed051fc65da44385df649fccf645
    private static final long MULT_HI = 0x2360ed051fc65da4L;
    private static final long MULT_LO = 0x4385df649fccf645L;

    private NumpyRandom() {
    }

    /**
     * Returns exactly {@code numpy.random.default_rng(seed).permutation(n)}.
     *
     * @param seed non-negative seed, as passed to {@code default_rng}
     * @param n    length of the permutation of {@code 0..n-1}, non-negative
     * @return the permuted indices
     */
    public static int[] permutation(long seed, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        int[] arr = new int[n];
        for (int i = 0; i < n; i++) {
            arr[i] = i;
        }
        Pcg64 rng = new Pcg64(seedSequenceState(seed));
        for (int i = n - 1; i >= 1; i--) {
            int j = (int) rng.randomInterval(i);
            int tmp = arr[j];
            arr[j] = arr[i];
            arr[i] = tmp;
        }
        return arr;
    }

    /**
     * Returns exactly {@code int(numpy.random.default_rng(seed).integers(n))}: the first draw of
     * {@code Generator.integers(0, n)} (int64, one value), which for bounds below 2^32 is Lemire's
     * multiply-shift with rejection on {@code next_uint32} ({@code buffered_bounded_lemire_uint32}).
     * The Python references pick their coreset start row this way.
     *
     * @param seed non-negative seed, as passed to {@code default_rng}
     * @param n    exclusive upper bound, {@code 1 <= n <= 2^31 - 1}
     */
    public static int integers(long seed, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        if (n == 1) {
            return 0;
        }
        Pcg64 rng = new Pcg64(seedSequenceState(seed));
        long rngExcl = n; // rng = n - 1, rng_excl = rng + 1
        long m = (rng.nextUint32() & 0xffffffffL) * rngExcl;
        long leftover = m & 0xffffffffL;
        if (leftover < rngExcl) {
            long threshold = (0xffffffffL - (rngExcl - 1)) % rngExcl;
            while (leftover < threshold) {
                m = (rng.nextUint32() & 0xffffffffL) * rngExcl;
                leftover = m & 0xffffffffL;
            }
        }
        return (int) (m >>> 32);
    }

    /** {@code SeedSequence(seed).generate_state(4, np.uint64)}. */
    static long[] seedSequenceState(long seed) {
        if (seed < 0) {
            throw new IllegalArgumentException("seed must be >= 0, got " + seed);
        }
        // _int_to_uint32_array: little-endian 32-bit words, [0] for zero
        int[] entropy;
        if ((seed >>> 32) == 0) {
            entropy = new int[] {(int) seed};
        } else {
            entropy = new int[] {(int) seed, (int) (seed >>> 32)};
        }

        // mix_entropy
        int[] pool = new int[POOL_SIZE];
        int[] hashConst = {INIT_A};
        for (int i = 0; i < POOL_SIZE; i++) {
            pool[i] = hashmix(i < entropy.length ? entropy[i] : 0, hashConst);
        }
        for (int src = 0; src < POOL_SIZE; src++) {
            for (int dst = 0; dst < POOL_SIZE; dst++) {
                if (src != dst) {
                    pool[dst] = mix(pool[dst], hashmix(pool[src], hashConst));
                }
            }
        }
        for (int src = POOL_SIZE; src < entropy.length; src++) {
            for (int dst = 0; dst < POOL_SIZE; dst++) {
                pool[dst] = mix(pool[dst], hashmix(entropy[src], hashConst));
            }
        }

        // generate_state(4, uint64): 8 uint32 words viewed as little-endian uint64
        int h = INIT_B;
        int[] words = new int[8];
        for (int i = 0; i < words.length; i++) {
            int v = pool[i % POOL_SIZE];
            v ^= h;
            h *= MULT_B;
            v *= h;
            v ^= v >>> XSHIFT;
            words[i] = v;
        }
        long[] out = new long[4];
        for (int k = 0; k < 4; k++) {
            out[k] = (words[2 * k] & 0xffffffffL) | ((long) words[2 * k + 1] << 32);
        }
        return out;
    }

    private static int hashmix(int value, int[] hashConst) {
        value ^= hashConst[0];
        hashConst[0] *= MULT_A;
        value *= hashConst[0];
        value ^= value >>> XSHIFT;
        return value;
    }

    private static int mix(int x, int y) {
        int result = MIX_MULT_L * x - MIX_MULT_R * y;
        result ^= result >>> XSHIFT;
        return result;
    }

    /** Unsigned high 64 bits of a 64x64 product (Math.unsignedMultiplyHigh is Java 18+). */
    private static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    /** NumPy's PCG64 (pcg_setseq_128 with XSL-RR output) plus the 32-bit draw buffer. */
    static final class Pcg64 {
        private long stateHi;
        private long stateLo;
        private final long incHi;
        private final long incLo;
        private boolean hasUint32;
        private int uinteger;

        Pcg64(long[] seedState) {
            // pcg64_set_seed: PCG_128BIT_CONSTANT(high, low) -> initstate = (w0, w1), initseq = (w2, w3)
            long initStateHi = seedState[0];
            long initStateLo = seedState[1];
            long initSeqHi = seedState[2];
            long initSeqLo = seedState[3];
            // inc = (initseq << 1) | 1
            incHi = (initSeqHi << 1) | (initSeqLo >>> 63);
            incLo = (initSeqLo << 1) | 1L;
            // pcg_setseq_128_srandom_r
            stateHi = 0;
            stateLo = 0;
            step();
            long lo = stateLo + initStateLo;
            long carry = Long.compareUnsigned(lo, stateLo) < 0 ? 1L : 0L;
            stateHi = stateHi + initStateHi + carry;
            stateLo = lo;
            step();
        }

        private void step() {
            // state = state * MULT + inc (mod 2^128)
            long lo = stateLo * MULT_LO;
            long hi = unsignedMultiplyHigh(stateLo, MULT_LO) + stateLo * MULT_HI + stateHi * MULT_LO;
            long newLo = lo + incLo;
            long carry = Long.compareUnsigned(newLo, lo) < 0 ? 1L : 0L;
            stateHi = hi + incHi + carry;
            stateLo = newLo;
        }

        long nextUint64() {
            step();
            return Long.rotateRight(stateHi ^ stateLo, (int) (stateHi >>> 58));
        }

        int nextUint32() {
            if (hasUint32) {
                hasUint32 = false;
                return uinteger;
            }
            long next = nextUint64();
            hasUint32 = true;
            uinteger = (int) (next >>> 32);
            return (int) next;
        }

        /** {@code random_interval(bitgen, max)}: uniform in [0, max] by masked rejection. */
        long randomInterval(long max) {
            if (max == 0) {
                return 0;
            }
            long mask = max;
            mask |= mask >>> 1;
            mask |= mask >>> 2;
            mask |= mask >>> 4;
            mask |= mask >>> 8;
            mask |= mask >>> 16;
            mask |= mask >>> 32;
            long value;
            if (Long.compareUnsigned(max, 0xffffffffL) <= 0) {
                do {
                    value = (nextUint32() & 0xffffffffL) & mask;
                } while (value > max);
            } else {
                do {
                    value = nextUint64() & mask;
                } while (Long.compareUnsigned(value, max) > 0);
            }
            return value;
        }
    }
}
