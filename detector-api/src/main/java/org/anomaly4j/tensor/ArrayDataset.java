package org.anomaly4j.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * An in-memory {@link BatchSource}: one or more fields (input, target, label...) of float samples, each
 * field with its own per-sample shape. A batch is one float32 array per field, {@code [b, ...shape]}.
 * Immutable (the arrays are copied in).
 */
public final class ArrayDataset implements BatchSource {
    private final int n;
    private final List<float[]> fields;
    private final List<Shape> shapes;

    private ArrayDataset(int n, List<float[]> fields, List<Shape> shapes) {
        this.n = n;
        this.fields = fields;
        this.shapes = shapes;
    }

    /** A dataset of one field: {@code samples[i]} has {@code sampleShape.size()} values. */
    public static ArrayDataset of(float[][] samples, Shape sampleShape) {
        return new ArrayDataset(samples.length, List.of(), List.of()).with(samples, sampleShape);
    }

    /** This dataset with one more field (same number of samples), e.g. regression targets. */
    public ArrayDataset with(float[][] samples, Shape sampleShape) {
        if (!fields.isEmpty() && samples.length != n) {
            throw new IllegalArgumentException("field has " + samples.length + " samples, dataset has " + n);
        }
        int per = Math.toIntExact(sampleShape.size());
        float[] flat = new float[samples.length * per];
        for (int i = 0; i < samples.length; i++) {
            if (samples[i].length != per) {
                throw new IllegalArgumentException("sample " + i + " has " + samples[i].length + " values, shape "
                        + sampleShape + " needs " + per);
            }
            System.arraycopy(samples[i], 0, flat, i * per, per);
        }
        List<float[]> f = new ArrayList<>(fields);
        List<Shape> s = new ArrayList<>(shapes);
        f.add(flat);
        s.add(sampleShape);
        return new ArrayDataset(samples.length, List.copyOf(f), List.copyOf(s));
    }

    /** The samples at {@code indices}, in that order (e.g. a train/validation split). */
    public ArrayDataset subset(int[] indices) {
        List<float[]> f = new ArrayList<>();
        for (int k = 0; k < fields.size(); k++) {
            f.add(gather(k, indices));
        }
        return new ArrayDataset(indices.length, List.copyOf(f), shapes);
    }

    @Override
    public int size() {
        return n;
    }

    /** Number of fields per sample. */
    public int fields() {
        return fields.size();
    }

    @Override
    public NDList batch(NDManager manager, int[] indices, Random random) {
        NDList out = new NDList(fields.size());
        for (int k = 0; k < fields.size(); k++) {
            out.add(manager.create(gather(k, indices), new Shape(indices.length).addAll(shapes.get(k))));
        }
        return out;
    }

    private float[] gather(int field, int[] indices) {
        int per = Math.toIntExact(shapes.get(field).size());
        float[] src = fields.get(field);
        float[] buf = new float[indices.length * per];
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= n) {
                throw new IndexOutOfBoundsException("sample " + indices[i] + " of " + n);
            }
            System.arraycopy(src, indices[i] * per, buf, i * per, per);
        }
        return buf;
    }
}
