package org.anomaly4j.data;

import java.util.Objects;

import org.anomaly4j.api.ImageSet;

/**
 * A data set split for anomaly detection: {@code train} holds normal images only, {@code test}
 * holds normal and anomalous images with their ground truth.
 */
public record DatasetSplit(ImageSet train, ImageSet test) {
    public DatasetSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
    }

    @Override
    public String toString() {
        return "DatasetSplit[train=" + train + ", test=" + test + "]";
    }
}
