/**
 * Persistence and its errors: the one-file detector format ({@link org.anomaly4j.io.ModelArchive}),
 * its tensor encoding ({@link org.anomaly4j.io.TensorData}) and the specific exceptions for
 * truncated, corrupted, unknown-version and wrong-type files. No Java serialization anywhere.
 */
package org.anomaly4j.io;
