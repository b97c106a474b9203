package org.anomaly4j.api;

import java.util.Map;

/**
 * An immutable, validated detector configuration: the one place where a detector's parameters
 * live, and the factory that fits it.
 *
 * @param <D> the detector this configuration fits
 */
public interface DetectorConfig<D extends Detector> {

    /** The registry id of the detector type. */
    String typeId();

    /** Every parameter as a canonical string, as {@link DetectorProvider#configure} reads them back. */
    Map<String, String> toParameters();

    /** Fits a detector on normal images (anomalous ones in the set are rejected). */
    D fit(ImageSet normals, ProgressListener listener);

    /** Fits without progress reporting. */
    default D fit(ImageSet normals) {
        return fit(normals, ProgressListener.NONE);
    }
}
