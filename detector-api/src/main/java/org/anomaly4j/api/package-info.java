/**
 * The public API of anomaly4j: the {@link org.anomaly4j.api.Detector} lifecycle
 * (config &rarr; {@code fit} &rarr; {@code score} &rarr; {@code save}/{@link org.anomaly4j.api.Detectors#load}),
 * the library's image value type {@link org.anomaly4j.api.AnomalyImage}, labelled image sets,
 * scores and pixel maps, calibration, provenance and progress reporting.
 *
 * <p>Everything here is plain Java: no tensor type appears in a public signature.
 */
package org.anomaly4j.api;
