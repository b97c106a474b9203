package org.anomaly4j.io;

import java.nio.file.Path;

/** The file was written in a format version this library cannot read. */
public final class UnsupportedFormatVersionException extends ModelFormatException {
    private static final long serialVersionUID = 1L;
    private final int version;

    public UnsupportedFormatVersionException(Path file, int version, int supported) {
        super(file, "format version " + version + " is not supported (this library reads version "
                + supported + ")");
        this.version = version;
    }

    /** The version found in the file. */
    public int version() {
        return version;
    }
}
