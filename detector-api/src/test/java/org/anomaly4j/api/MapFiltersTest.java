package org.anomaly4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MapFiltersTest {

    @Test
    void givenSigmaFour_whenKernelBuilt_thenAnomalibSizeAndUnitSum() {
        float[] k = MapFilters.gaussianKernel(4.0);
        assertEquals(33, k.length); // 2 * int(4*4 + 0.5) + 1
        double sum = 0;
        for (float v : k) {
            sum += v;
        }
        assertEquals(1.0, sum, 1e-6);
        assertEquals(k[0], k[32], 0f);
    }

    @Test
    void givenConstantMap_whenBlurred_thenUnchanged() {
        float[] m = new float[10 * 7];
        java.util.Arrays.fill(m, 3f);
        for (float v : MapFilters.gaussianBlur(m, 10, 7, 2.0)) {
            assertEquals(3f, v, 1e-5f);
        }
    }

    @Test
    void givenImpulse_whenBlurred_thenMassIsPreservedAwayFromBorders() {
        int w = 41;
        float[] m = new float[w * w];
        m[20 * w + 20] = 1f;
        double sum = 0;
        for (float v : MapFilters.gaussianBlur(m, w, w, 2.0)) {
            sum += v;
        }
        assertEquals(1.0, sum, 1e-5);
    }

    @Test
    void givenIndex_whenReflected_thenMirrorsWithoutRepeatingTheEdge() {
        assertEquals(1, MapFilters.reflect(-1, 5));
        assertEquals(3, MapFilters.reflect(5, 5));
        assertEquals(0, MapFilters.reflect(8, 5));
    }
}
