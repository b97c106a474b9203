package org.anomaly4j.io;

import java.io.IOException;
import java.nio.file.Path;

/** A saved detector file cannot be used; subclasses say why. The message names the file. */
public class ModelFormatException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    public ModelFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public ModelFormatException(Path file, String problem) {
        this(file, problem, null);
    }

    /** The offending file. */
    public Path file() {
        return file;
    }
}
