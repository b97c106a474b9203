package org.anomaly4j.data;

import java.io.IOException;
import java.nio.file.Path;

/** An image file could not be decoded. The message names the file and the {@link Reason}. */
public final class ImageDecodeException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why decoding failed. */
    public enum Reason {
        /** The file is missing or cannot be opened. */
        UNREADABLE,
        /** The file has no bytes. */
        EMPTY,
        /** The file ends before the image data does. */
        TRUNCATED,
        /** The bytes are not a valid image of their format. */
        CORRUPT,
        /** No decoder for this format or pixel layout. */
        UNSUPPORTED
    }

    private final transient Path file;
    private final Reason reason;

    public ImageDecodeException(Path file, Reason reason, String detail, Throwable cause) {
        super(file + ": " + reason.name().toLowerCase(java.util.Locale.ROOT) + " image"
                + (detail == null || detail.isBlank() ? "" : " (" + detail + ")"), cause);
        this.file = file;
        this.reason = reason;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }

    public Reason reason() {
        return reason;
    }
}
