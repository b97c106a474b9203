package org.anomaly4j.tensor;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.io.TensorData;

/** Conversions between library values and NDArrays. */
public final class Tensors {
    private Tensors() {
    }

    /** A new root manager on the chosen device; the caller owns and closes it. */
    public static NDManager newRootManager() {
        return NDManager.newBaseManager(Devices.current(), "PyTorch");
    }

    /** One image as a (C, H, W) float32 array. */
    public static NDArray image(NDManager m, AnomalyImage img) {
        float[] buf = new float[img.size()];
        img.copyTo(buf, 0);
        return m.create(buf, new Shape(img.channels(), img.height(), img.width()));
    }

    /** Same-shaped images as an (N, C, H, W) float32 batch. */
    public static NDArray batch(NDManager m, List<AnomalyImage> imgs) {
        if (imgs.isEmpty()) {
            throw new IllegalArgumentException("empty batch");
        }
        AnomalyImage f = imgs.get(0);
        int per = f.size();
        float[] buf = new float[per * imgs.size()];
        for (int i = 0; i < imgs.size(); i++) {
            AnomalyImage a = imgs.get(i);
            if (a.width() != f.width() || a.height() != f.height() || a.channels() != f.channels()) {
                throw new IllegalArgumentException("batch mixes " + f + " and " + a);
            }
            a.copyTo(buf, i * per);
        }
        return m.create(buf, new Shape(imgs.size(), f.channels(), f.height(), f.width()));
    }

    /** An NDArray's values as float32 row-major. */
    public static float[] floats(NDArray a) {
        return a.getDataType() == DataType.FLOAT32 ? a.toFloatArray() : a.toType(DataType.FLOAT32, false).toFloatArray();
    }

    /** An NDArray as storable tensor data. */
    public static TensorData toData(String name, NDArray a) {
        return new TensorData(name, a.getShape().getShape(), floats(a));
    }

    /** Stored tensor data as an NDArray in {@code m}. */
    public static NDArray fromData(NDManager m, TensorData t) {
        return m.create(t.values(), new Shape(t.shape()));
    }

    /** Number of live NDArrays a manager (and its sub-managers) holds: for leak checks. */
    public static int liveArrays(NDManager m) {
        if (m instanceof ai.djl.ndarray.BaseNDManager b) {
            return b.getManagedArrays().size();
        }
        return -1;
    }
}
