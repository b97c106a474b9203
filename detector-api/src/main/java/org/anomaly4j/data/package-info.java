/**
 * Data loading: image decoding ({@link org.anomaly4j.data.ImageDecoder}) and the data-set layouts
 * (MVTec AD, a generic folder layout, Magnetic Tile Defect, IDX / Fashion-MNIST one-class splits).
 * Loaders report unusable files in {@link org.anomaly4j.api.ImageSet#badFiles()} and keep the rest.
 */
package org.anomaly4j.data;
