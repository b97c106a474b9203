package org.anomaly4j.tensor;

import org.anomaly4j.api.InvalidConfigException;

/**
 * How a Gaussian's covariance is estimated from samples. Three estimators, each identical to a
 * reference everyone knows:
 * <ul>
 * <li>{@link #ledoitWolf()}: scikit-learn's {@code LedoitWolf(assume_centered=False)}: the biased
 * (divide by n) empirical covariance shrunk towards {@code mu*I} ({@code mu} = mean variance) by the
 * Ledoit–Wolf optimal coefficient;</li>
 * <li>{@link #shrunk(double)}: scikit-learn's {@code ShrunkCovariance(shrinkage=s)}: the same shrinkage
 * with a fixed coefficient;</li>
 * <li>{@link #ridge(double)}: {@code np.cov(x, rowvar=False) + eps*I} (unbiased, divide by n-1), the
 * estimator of the PaDiM paper and anomalib (eps 0.01).</li>
 * </ul>
 *
 * @param kind  the estimator
 * @param value the fixed shrinkage in [0,1] ({@link Kind#SHRUNK}), the ridge eps >= 0
 *              ({@link Kind#RIDGE}), unused (0) for {@link Kind#LEDOIT_WOLF}
 */
public record CovarianceEstimator(Kind kind, double value) {

    /** The estimator families. */
    public enum Kind {
        /** Ledoit–Wolf optimal shrinkage of the biased empirical covariance. */
        LEDOIT_WOLF,
        /** Fixed shrinkage of the biased empirical covariance towards {@code mu*I}. */
        SHRUNK,
        /** Unbiased empirical covariance plus {@code eps*I}. */
        RIDGE
    }

    public CovarianceEstimator {
        if (kind == null) {
            throw new InvalidConfigException("covariance", "estimator kind is null");
        }
        if (kind == Kind.SHRUNK && !(value >= 0 && value <= 1)) {
            throw new InvalidConfigException("shrinkage", "must be in [0,1], got " + value);
        }
        if (kind == Kind.RIDGE && !(value >= 0 && Double.isFinite(value))) {
            throw new InvalidConfigException("ridge", "must be finite and >= 0, got " + value);
        }
        if (kind == Kind.LEDOIT_WOLF) {
            value = 0;
        }
    }

    /** scikit-learn's {@code LedoitWolf()}. */
    public static CovarianceEstimator ledoitWolf() {
        return new CovarianceEstimator(Kind.LEDOIT_WOLF, 0);
    }

    /** scikit-learn's {@code ShrunkCovariance(shrinkage)}. */
    public static CovarianceEstimator shrunk(double shrinkage) {
        return new CovarianceEstimator(Kind.SHRUNK, shrinkage);
    }

    /** {@code np.cov(x, rowvar=False) + eps * I} (PaDiM uses eps = 0.01). */
    public static CovarianceEstimator ridge(double eps) {
        return new CovarianceEstimator(Kind.RIDGE, eps);
    }

    /**
     * The Ledoit–Wolf shrinkage coefficient, term for term scikit-learn's
     * {@code ledoit_wolf_shrinkage(X, assume_centered=False)}, from sufficient statistics of the centred
     * samples {@code z_k} (so that batched and many-position fits share this one formula).
     *
     * @param n        number of samples
     * @param d        dimension
     * @param trace    trace of the biased empirical covariance {@code Z'Z/n}
     * @param frob2    squared Frobenius norm of {@code Z'Z/n}
     * @param sumNorm4 {@code sum_k ||z_k||^4}
     * @return the shrinkage in [0,1]
     */
    public static double ledoitWolfShrinkage(long n, int d, double trace, double frob2, double sumNorm4) {
        if (d == 1) {
            return 0.0; // scikit-learn: a single feature is never shrunk
        }
        double mu = trace / d;
        double beta = 1.0 / ((double) d * n) * (sumNorm4 / n - frob2);
        double delta = (frob2 - 2.0 * mu * trace + d * mu * mu) / d;
        beta = Math.min(beta, delta);
        return beta == 0 ? 0.0 : beta / delta;
    }

    /** Short text for provenance notes, e.g. {@code ledoit_wolf}, {@code shrunk(0.1)}, {@code ridge(0.01)}. */
    @Override
    public String toString() {
        return switch (kind) {
            case LEDOIT_WOLF -> "ledoit_wolf";
            case SHRUNK -> "shrunk(" + value + ")";
            case RIDGE -> "ridge(" + value + ")";
        };
    }
}
