package org.anomaly4j.testdata;

import java.util.Objects;

import org.anomaly4j.data.DatasetSplit;

/** A data-set category and its train/test split, e.g. ("weave", split). */
public record NamedSplit(String name, DatasetSplit split) {
    public NamedSplit {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(split, "split");
    }
}
