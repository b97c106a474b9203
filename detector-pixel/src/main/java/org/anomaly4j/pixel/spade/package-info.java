/**
 * SPADE (Cohen &amp; Hoshen, 2020): image-level kNN picks K normal images, pixel-level kNN over their
 * feature pyramids; {@link org.anomaly4j.pixel.spade.Spade} and its config and provider.
 */
package org.anomaly4j.pixel.spade;
