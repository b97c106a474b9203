package org.anomaly4j.io;

import java.nio.file.Path;
import java.util.Collection;

/** The file holds a detector type that no registered provider knows (a missing module?). */
public final class UnknownDetectorTypeException extends ModelFormatException {
    private static final long serialVersionUID = 1L;

    public UnknownDetectorTypeException(Path file, String type, Collection<String> known) {
        super(file, "detector type '" + type + "' is not registered (is its module on the class path?); known: "
                + String.join(", ", known));
    }
}
