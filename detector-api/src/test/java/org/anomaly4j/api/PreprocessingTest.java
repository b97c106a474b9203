package org.anomaly4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PreprocessingTest {

    @Test
    void givenResizeAndCrop_whenApplied_thenModelShapeIsTheCrop() {
        Preprocessing p = new Preprocessing(20, 20, 16, 12, 3);
        AnomalyImage out = p.apply(AnomalyImage.of(30, 10, 1, new float[300]));
        assertEquals(16, out.width());
        assertEquals(12, out.height());
        assertEquals(3, out.channels());
    }

    @Test
    void givenCroppedModelMap_whenMappedToInput_thenBorderTakesTheMinimumAndSizeMatchesInput() {
        Preprocessing p = new Preprocessing(8, 8, 4, 4, 1);
        float[] m = new float[16];
        java.util.Arrays.fill(m, 5f);
        m[0] = 1f;
        PixelMap back = p.mapToInput(PixelMap.of(4, 4, m), 8, 8);
        assertEquals(8, back.width());
        assertEquals(1f, back.get(0, 0)); // outside the crop: the map's minimum
        assertEquals(5f, back.get(4, 4));
        assertEquals(16, p.mapToInput(PixelMap.of(4, 4, m), 16, 3).width());
    }

    @Test
    void givenInvalidGeometry_whenConstructed_thenInvalidConfigExceptionNamesTheParameter() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> new Preprocessing(8, 8, 9, 4, 3));
        assertEquals("crop_width", e.parameter());
        assertEquals("channels", assertThrows(InvalidConfigException.class,
                () -> Preprocessing.resize(8, 8, 2)).parameter());
    }

    @Test
    void givenPreprocessing_whenRoundTrippedThroughMap_thenEqual() {
        Preprocessing p = new Preprocessing(256, 256, 224, 224, 3);
        assertEquals(p, Preprocessing.fromMap(p.toMap()));
    }
}
