package org.anomaly4j.tensor;

import ai.djl.Device;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The channels-last layout (NHWC in memory, shape still NCHW) for CPU convolutions: oneDNN computes
 * in it, so a network fed channels-last never reorders its activations to and from NCHW around each
 * convolution, and its outputs stay channels-last. Measured on this project's 2-core machine, per
 * batch of 16 at 224 x 224 on one thread: the shared MobileNetV2 TorchScript takes 225 ms of CPU
 * time instead of 450, a ResNet-18 TorchScript 640 instead of 800, with the same outputs (within
 * 4e-5). DJL's JNI has no {@code contiguous(memory_format)}, so the copies go through
 * permute/flatten/reshape. System property {@code anomaly4j.backbone.channels_last=false} turns it off.
 */
final class ChannelsLast {
    /** Whether CPU backbones use channels-last (default true). */
    static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("anomaly4j.backbone.channels_last", "true"));

    private ChannelsLast() {
    }

    /** Whether backbones on {@code device} use channels-last: CPU only (CUDA keeps its own heuristics). */
    static boolean on(Device device) {
        return ENABLED && !device.isGpu();
    }

    /**
     * The same values with channels-last strides. Usually a copy; a view of {@code x} when {@code x}
     * already is channels-last-contiguous (e.g. 1 x 1 kernels), so keep {@code x} alive or clone.
     */
    static PtNDArray of(PtNDArray x) {
        long[] s = x.getShape().getShape();
        try (PtNDArray nhwc = JniUtils.permute(x, new long[] {0, 2, 3, 1});
                PtNDArray flat = JniUtils.flatten(nhwc, 0, 3);
                PtNDArray shaped = JniUtils.reshape(flat, new long[] {s[0], s[2], s[3], s[1]})) {
            return JniUtils.permute(shaped, new long[] {0, 3, 1, 2});
        }
    }

    /** The same values contiguous in NCHW order (a copy of a channels-last array; else possibly a view). */
    static PtNDArray toContiguous(PtNDArray x) {
        long[] s = x.getShape().getShape();
        try (PtNDArray flat = JniUtils.flatten(x, 0, s.length - 1)) {
            return JniUtils.reshape(flat, s);
        }
    }
}
