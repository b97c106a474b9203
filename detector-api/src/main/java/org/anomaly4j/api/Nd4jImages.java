package org.anomaly4j.api;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Converters between {@link AnomalyImage} and ND4J {@link INDArray}. ND4J is an optional
 * dependency: add {@code org.nd4j:nd4j-api} and a backend (e.g. {@code nd4j-native}) to use this
 * class; nothing else in the library touches ND4J.
 *
 * <p>Arrays are planar: {@code [C, H, W]}, {@code [1, C, H, W]} or {@code [H, W]} (grey), with C in
 * {1, 3, 4}; values are taken as they are (nominally in [0,1]).
 */
public final class Nd4jImages {
    private Nd4jImages() {
    }

    /** An image from a {@code [C,H,W]}, {@code [1,C,H,W]} or {@code [H,W]} array (any numeric type). */
    public static AnomalyImage fromINDArray(INDArray array) {
        if (array == null) {
            throw new InvalidImageException("null INDArray");
        }
        long[] s = array.shape();
        long c;
        long h;
        long w;
        if (s.length == 2) {
            c = 1;
            h = s[0];
            w = s[1];
        } else if (s.length == 3) {
            c = s[0];
            h = s[1];
            w = s[2];
        } else if (s.length == 4 && s[0] == 1) {
            c = s[1];
            h = s[2];
            w = s[3];
        } else {
            throw new InvalidImageException("INDArray of shape " + java.util.Arrays.toString(s)
                    + " is not an image: expected [C,H,W], [1,C,H,W] or [H,W]");
        }
        if (c * h * w > Integer.MAX_VALUE) {
            throw new InvalidImageException("INDArray too large for one image: " + java.util.Arrays.toString(s));
        }
        float[] data = array.castTo(DataType.FLOAT).dup('c').data().asFloat();
        return AnomalyImage.of((int) w, (int) h, (int) c, data);
    }

    /** A {@code [C,H,W]} float array of the image. */
    public static INDArray toINDArray(AnomalyImage image) {
        return Nd4j.create(image.toArray(), new long[] {image.channels(), image.height(), image.width()}, 'c');
    }
}
