package org.anomaly4j.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named float32 tensor as stored in a detector archive: a shape and row-major values. Plain Java,
 * so persistence needs no engine.
 *
 * @param name   entry name (letters, digits, '_', '-', '.')
 * @param shape  dimensions, each at least 0
 * @param values row-major values, as many as the shape's product
 */
public record TensorData(String name, long[] shape, float[] values) {
    public TensorData {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("tensor name must be letters, digits, '_', '-', '.': " + name);
        }
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException("tensor " + name + " of shape " + Arrays.toString(shape) + " needs "
                    + n + " values, got " + values.length);
        }
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorData t && t.name.equals(name) && Arrays.equals(t.shape, shape)
                && Arrays.equals(t.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "TensorData[" + name + " " + Arrays.toString(shape) + "]";
    }
}
