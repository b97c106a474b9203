/**
 * STFPM (student–teacher feature pyramid matching): a trainable MobileNetV2 student distilled from a
 * frozen teacher backbone on normal images; the anomaly map is the teacher–student feature distance.
 */
package org.anomaly4j.pixel.stfpm;
