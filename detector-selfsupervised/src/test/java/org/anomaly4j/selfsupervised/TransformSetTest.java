package org.anomaly4j.selfsupervised;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TransformSetTest {
    @Test
    void givenGeomDefaults_whenBuilt_thenTheSeventyTwoTransformationsOfGolanWithOneJointHead() {
        TransformConfig c = TransformConfig.geom().build();
        TransformSet ts = TransformSet.of(c);
        assertEquals(72, ts.size());
        assertEquals(1, ts.heads());
        assertEquals(72, ts.classes(0));
        assertEquals(8, c.shift());
    }

    @Test
    void givenRotationTranslation_whenBuilt_thenSeparateRotationAndTranslationHeads() {
        TransformSet ts = TransformSet.of(TransformConfig.rotationTranslation().build());
        assertEquals(36, ts.size());
        assertEquals(3, ts.heads());
        assertEquals(4, ts.classes(0));
        assertEquals(3, ts.classes(1));
        assertEquals(3, ts.classes(2));
        // transformation 5 = tx index 0, ty index 1, rotation 1
        assertEquals(1, ts.label(0, 5));
        assertEquals(0, ts.label(1, 5));
        assertEquals(1, ts.label(2, 5));
    }
}
