package org.anomaly4j.tensor;

/**
 * A detector that holds native tensors. {@link #liveTensorCount()} lets tests (the testkit's
 * {@code DetectorContract}) prove that scoring leaves no tensor behind.
 */
public interface NativeResourceOwner {
    /** Native arrays currently alive under this detector's root manager (its model tensors included). */
    int liveTensorCount();
}
