package org.anomaly4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        Preprocessing toned = p.withTone(1.5, 0.5);
        assertEquals(toned, Preprocessing.fromMap(toned.toMap()));
    }

    @Test
    void givenNoTone_whenSaved_thenMapHasOnlyTheGeometryAndOldMapsLoadWithoutTone() {
        Preprocessing p = Preprocessing.resize(28, 28, 1);
        assertEquals(java.util.Set.of("width", "height", "crop_width", "crop_height", "channels"), p.toMap().keySet());
        java.util.Map<String, Object> old = new java.util.LinkedHashMap<>(p.toMap());
        Preprocessing back = Preprocessing.fromMap(old);
        assertEquals(0.0, back.blur());
        assertEquals(1.0, back.power());
        assertFalse(back.hasTone());
    }

    @Test
    void givenTone_whenApplied_thenEachPlaneIsBlurredThenRaisedToThePower() {
        float[] v = new float[3 * 6 * 5];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 37 % 11) / 10f;
        }
        AnomalyImage in = AnomalyImage.of(6, 5, 3, v);
        // RGB in, grey out: the tone step sees the converted image
        Preprocessing p = Preprocessing.resize(6, 5, 1).withTone(1, 0.5);
        AnomalyImage grey = Preprocessing.resize(6, 5, 1).apply(in);
        float[] blurred = MapFilters.gaussianBlur(grey.toArray(), 6, 5, 1);
        float[] out = p.apply(in).toArray();
        for (int i = 0; i < out.length; i++) {
            assertEquals((float) Math.sqrt(blurred[i]), out[i], 0f);
        }
        AnomalyImage cubed = Preprocessing.resize(6, 5, 1).withTone(0, 3).apply(grey);
        for (int i = 0; i < 30; i++) {
            assertEquals((float) Math.pow(grey.toArray()[i], 3), cubed.toArray()[i], 0f);
        }
    }

    @Test
    void givenBadTone_whenConstructed_thenInvalidConfigNamesBlurOrPower() {
        Preprocessing p = Preprocessing.resize(8, 8, 1);
        assertEquals("blur", assertThrows(InvalidConfigException.class, () -> p.withTone(-1, 1)).parameter());
        assertEquals("blur", assertThrows(InvalidConfigException.class, () -> p.withTone(Double.NaN, 1)).parameter());
        assertEquals("power", assertThrows(InvalidConfigException.class, () -> p.withTone(0, 0)).parameter());
        assertEquals("power", assertThrows(InvalidConfigException.class, () -> p.withTone(0, 17)).parameter());
    }
}
