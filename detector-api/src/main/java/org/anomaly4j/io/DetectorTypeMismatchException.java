package org.anomaly4j.io;

import java.nio.file.Path;

/** The file holds a detector of another type than the caller asked for. */
public final class DetectorTypeMismatchException extends ModelFormatException {
    private static final long serialVersionUID = 1L;

    public DetectorTypeMismatchException(Path file, String expected, String actual) {
        super(file, "expected a " + expected + " detector but the file holds '" + actual + "'");
    }
}
