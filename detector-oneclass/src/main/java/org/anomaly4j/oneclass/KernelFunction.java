package org.anomaly4j.oneclass;

/**
 * A kernel with its numeric parameters resolved (gamma is a number here, never "scale"). Values are
 * computed in double from a dot product and the two squared norms, as libsvm's training kernel does
 * ({@code exp(-gamma * (|x|^2 + |y|^2 - 2 x.y))} for RBF, clamped at distance 0).
 *
 * @param kernel the kernel type
 * @param gamma  the RBF width / the poly and sigmoid scale (ignored by linear)
 * @param degree the polynomial degree (poly only)
 * @param coef0  the poly and sigmoid offset
 */
record KernelFunction(Kernel kernel, double gamma, int degree, double coef0) {

    /** Whether values depend on the squared norms (RBF), so that they must be computed. */
    boolean needsNorms() {
        return kernel == Kernel.RBF;
    }

    /** {@code K(x, y)} from {@code x . y}, {@code |x|^2} and {@code |y|^2}. */
    double value(double dot, double sqX, double sqY) {
        return switch (kernel) {
            case RBF -> Math.exp(-gamma * Math.max(0.0, sqX + sqY - 2 * dot));
            case LINEAR -> dot;
            case POLY -> powi(gamma * dot + coef0, degree);
            case SIGMOID -> Math.tanh(gamma * dot + coef0);
        };
    }

    /** {@code K(x, x)} from {@code |x|^2}. */
    double self(double sqX) {
        return kernel == Kernel.RBF ? 1.0 : value(sqX, sqX, sqX);
    }

    /** libsvm's integer power by squaring (the same rounding as scikit-learn's). */
    static double powi(double base, int times) {
        double tmp = base;
        double ret = 1.0;
        for (int t = times; t > 0; t /= 2) {
            if (t % 2 == 1) {
                ret *= tmp;
            }
            tmp = tmp * tmp;
        }
        return ret;
    }

    /** Squared L2 norms of {@code n} rows of length {@code d}, accumulated in double as libsvm does. */
    static double[] squaredNorms(float[] rows, int n, int d) {
        double[] sq = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            int o = i * d;
            for (int j = 0; j < d; j++) {
                double v = rows[o + j];
                s += v * v;
            }
            sq[i] = s;
        }
        return sq;
    }
}
