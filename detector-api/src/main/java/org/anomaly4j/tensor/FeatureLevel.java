package org.anomaly4j.tensor;

import org.anomaly4j.api.Params;

/**
 * One feature map a {@link Backbone} returns.
 *
 * @param name     the layer it comes after, in the source's naming ({@code layer2}, {@code features.6},
 *                 {@code out1} for a TorchScript file's second output)
 * @param stride   input pixels per map cell (4, 8, 16, 32)
 * @param channels channels of the map
 */
public record FeatureLevel(String name, int stride, int channels) {
    public FeatureLevel {
        Params.require(name != null && !name.isBlank(), "name", "must not be blank");
        Params.require(stride > 0, "stride", "must be positive, got " + stride);
        Params.require(channels > 0, "channels", "must be positive, got " + channels);
    }
}
