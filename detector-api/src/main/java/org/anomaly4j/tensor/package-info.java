/**
 * The shared DJL (PyTorch engine) tensor layer: the one place that chooses the device
 * ({@link org.anomaly4j.tensor.Devices}), and conversions between library values and NDArrays
 * ({@link org.anomaly4j.tensor.Tensors}). Detectors own a root {@code NDManager}; each scoring call
 * works in a sub-manager closed before it returns. On the training path, arithmetic with a number goes
 * through {@link org.anomaly4j.tensor.Autograd} (DJL's {@code x.mul(2)} leaves autograd a scalar over a
 * Java buffer the JVM may free before the backward pass).
 */
package org.anomaly4j.tensor;
