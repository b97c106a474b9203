package org.anomaly4j.api;

import java.nio.file.Path;

/** A file a loader could not use, and why; loaders report these and keep the rest of the batch. */
public record BadFile(Path path, String reason) {
    @Override
    public String toString() {
        return path + ": " + reason;
    }
}
