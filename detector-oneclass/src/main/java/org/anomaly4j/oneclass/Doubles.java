package org.anomaly4j.oneclass;

/**
 * Doubles in the float32 archive format: each value is stored as two floats, {@code hi = (float) v}
 * and {@code lo = (float) (v - hi)}, read back as {@code hi + lo} (about 48 significant bits). A
 * detector keeps {@link #round(double[])} of its doubles, so that a saved and loaded copy computes
 * with the very same values and scores identically.
 */
final class Doubles {
    private Doubles() {
    }

    /** {@code [hi0, lo0, hi1, lo1, ...]}. */
    static float[] pack(double... v) {
        float[] out = new float[2 * v.length];
        for (int i = 0; i < v.length; i++) {
            float hi = (float) v[i];
            out[2 * i] = hi;
            out[2 * i + 1] = (float) (v[i] - hi);
        }
        return out;
    }

    /** The inverse of {@link #pack}. */
    static double[] unpack(float[] packed) {
        if (packed.length % 2 != 0) {
            throw new IllegalArgumentException("packed doubles need an even number of floats, got " + packed.length);
        }
        double[] out = new double[packed.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (double) packed[2 * i] + (double) packed[2 * i + 1];
        }
        return out;
    }

    /** The values as they read back from the archive. */
    static double[] round(double[] v) {
        return unpack(pack(v));
    }

    /** One value as it reads back from the archive. */
    static double round(double v) {
        return unpack(pack(v))[0];
    }
}
