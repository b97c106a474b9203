/**
 * Pixel-level feature modelling (survey section IV-B): per-patch models over pretrained or self-trained features, giving pixel-accurate maps. SPADE, PatchCore, PaDiM, student-teacher, DFR, Patch SVDD arrive here (issue 4).
 */
package org.anomaly4j.pixel;
