package org.anomaly4j.tensor;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A backbone could not be made: an unknown spec, a missing or unreadable file, a weights file whose
 * tensor names or shapes do not fit the architecture, a TorchScript file that does not return
 * feature maps, a model zoo that cannot be reached. The message names the spec, the file and the
 * tensor where they are known.
 */
public final class BackboneException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final String tensor;

    public BackboneException(String message) {
        this(message, null, null, null);
    }

    public BackboneException(String message, Path file, String tensor, Throwable cause) {
        super(message, cause);
        this.file = file;
        this.tensor = tensor;
    }

    /** The file involved, if any. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** The tensor involved, if any. */
    public Optional<String> tensor() {
        return Optional.ofNullable(tensor);
    }
}
