package org.anomaly4j.api;

/** An image value is unusable: wrong size, channel count, or a non-finite pixel. The message says which. */
public final class InvalidImageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidImageException(String message) {
        super(message);
    }
}
