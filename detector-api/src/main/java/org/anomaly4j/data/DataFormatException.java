package org.anomaly4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A data-set file or folder is missing or not in the expected format (bad IDX magic number,
 * truncated file, missing layout folder). The message names the file and the problem.
 */
public final class DataFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String problem;

    /**
     * @param file    the offending file or folder
     * @param problem what is wrong, e.g. {@code "bad magic 1234, expected 2051"}
     */
    public DataFormatException(Path file, String problem) {
        this(file, problem, null);
    }

    public DataFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + Objects.requireNonNull(problem, "problem"), cause);
        this.file = file;
        this.problem = problem;
    }

    /** The offending file or folder. */
    public Path file() {
        return file;
    }

    /** The problem alone, without the file name. */
    public String problem() {
        return problem;
    }
}
