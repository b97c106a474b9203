package org.anomaly4j.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Runs in its own JVM (see the pom): ND4J's natives stay apart from PyTorch's. */
class Nd4jImagesTest {

    @Test
    void givenImage_whenRoundTrippedThroughINDArray_thenEqual() {
        float[] d = new float[3 * 4 * 5];
        for (int i = 0; i < d.length; i++) {
            d[i] = i / 60f;
        }
        AnomalyImage img = AnomalyImage.of(5, 4, 3, d);
        INDArray a = Nd4jImages.toINDArray(img);
        assertArrayEquals(new long[] {3, 4, 5}, a.shape());
        assertEquals(img.get(2, 3, 1), a.getFloat(2, 3, 1), 0f);
        assertEquals(img, Nd4jImages.fromINDArray(a));
    }

    @Test
    void givenBatchOfOneAndGreyAndDoubleArrays_whenConverted_thenShapesAreRead() {
        INDArray batch = Nd4j.rand(DataType.DOUBLE, 1, 1, 6, 7);
        AnomalyImage g = Nd4jImages.fromINDArray(batch);
        assertEquals(7, g.width());
        assertEquals(6, g.height());
        assertEquals(1, g.channels());
        assertEquals(batch.getDouble(0, 0, 2, 3), g.get(0, 2, 3), 1e-6);
        AnomalyImage hw = Nd4jImages.fromINDArray(Nd4j.zeros(DataType.FLOAT, 2, 3));
        assertEquals(1, hw.channels());
        // a transposed (non-contiguous) view is read in logical order
        INDArray t = Nd4j.arange(12).castTo(DataType.FLOAT).reshape(3, 4).transpose();
        AnomalyImage tv = Nd4jImages.fromINDArray(t);
        assertEquals(t.getFloat(1, 2), tv.get(0, 1, 2), 0f);
    }

    @Test
    void givenBadArrays_whenConverted_thenInvalidImageException() {
        assertThrows(InvalidImageException.class, () -> Nd4jImages.fromINDArray(Nd4j.zeros(DataType.FLOAT, 2, 3, 4, 5)));
        assertThrows(InvalidImageException.class, () -> Nd4jImages.fromINDArray(Nd4j.zeros(DataType.FLOAT, 2, 4, 5)));
        INDArray nan = Nd4j.zeros(DataType.FLOAT, 1, 2, 2);
        nan.putScalar(0, 1, 1, Float.NaN);
        assertThrows(InvalidImageException.class, () -> Nd4jImages.fromINDArray(nan));
    }
}
