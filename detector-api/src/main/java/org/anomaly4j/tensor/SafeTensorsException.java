package org.anomaly4j.tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A safetensors file is malformed (truncated, bad header, offsets outside the data, an unsupported
 * dtype) or lacks a requested tensor. The message names the file and, where one is involved, the
 * tensor.
 */
public final class SafeTensorsException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final String tensor;

    public SafeTensorsException(Path file, String tensor, String problem) {
        super(file + (tensor == null ? "" : ": tensor '" + tensor + "'") + ": " + problem);
        this.file = file;
        this.tensor = tensor;
    }

    /** The file that failed. */
    public Path file() {
        return file;
    }

    /** The tensor involved, if the problem is about one. */
    public Optional<String> tensor() {
        return Optional.ofNullable(tensor);
    }
}
