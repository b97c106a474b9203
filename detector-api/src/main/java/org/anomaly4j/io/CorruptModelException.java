package org.anomaly4j.io;

import java.nio.file.Path;

/** The file is truncated, corrupted, not a detector archive, or inconsistent with itself. */
public final class CorruptModelException extends ModelFormatException {
    private static final long serialVersionUID = 1L;

    public CorruptModelException(Path file, String problem, Throwable cause) {
        super(file, problem, cause);
    }

    public CorruptModelException(Path file, String problem) {
        super(file, problem);
    }
}
