/**
 * DFR (deep feature reconstruction): a 1x1 convolutional autoencoder over stacked multi-level backbone
 * features, trained on normal images; the map is the feature reconstruction error.
 */
package org.anomaly4j.pixel.dfr;
