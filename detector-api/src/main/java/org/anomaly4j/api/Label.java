package org.anomaly4j.api;

/** Ground truth of an image in a data set. */
public enum Label {
    NORMAL, ANOMALOUS, UNKNOWN
}
