/**
 * The handcrafted patch model: Gaussian mixtures over local texture descriptors (gray-level
 * statistics and HOG) at several patch sizes, combined across sizes; the survey's classical baseline.
 */
package org.anomaly4j.pixel.handcrafted;
