package org.anomaly4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.Test;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.Preprocessing;

class ImageBatchesTest {

    private static List<AnomalyImage> images(int n) {
        List<AnomalyImage> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            float[] d = new float[3 * 10 * 12];
            for (int i = 0; i < d.length; i++) {
                d[i] = ((i * 13 + k * 7) % 17) / 16f;
            }
            out.add(AnomalyImage.of(12, 10, 3, d));
        }
        return out;
    }

    @Test
    void givenImages_whenBatched_thenEveryValueIsTheNormalisedPreprocessedPixelInOrder() {
        List<AnomalyImage> imgs = images(7);
        Preprocessing pre = new Preprocessing(8, 8, 6, 6, 3);
        float[] mean = {0.5f, 0.4f, 0.3f};
        float[] std = {0.2f, 0.25f, 0.5f};
        ImageBatches b = ImageBatches.of(imgs, pre, mean, std, 3);
        assertEquals(3, b.size());
        List<float[]> seen = new ArrayList<>();
        List<Integer> from = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            b.forEach(m, (batch, i) -> {
                assertEquals(3, batch.getShape().get(1));
                assertEquals(6, batch.getShape().get(2));
                seen.add(batch.toFloatArray());
                from.add(i);
            });
            assertEquals(0, Tensors.liveArrays(m), "per-batch arrays are released");
        }
        assertEquals(List.of(0, 3, 6), from);
        float[] all = new float[7 * 108];
        int off = 0;
        for (float[] s : seen) {
            System.arraycopy(s, 0, all, off, s.length);
            off += s.length;
        }
        for (int k = 0; k < 7; k++) {
            AnomalyImage p = pre.apply(imgs.get(k));
            float[] expect = new float[108];
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 36; i++) {
                    expect[c * 36 + i] = (p.toArray()[c * 36 + i] - mean[c]) / std[c];
                }
            }
            float[] got = new float[108];
            System.arraycopy(all, k * 108, got, 0, 108);
            assertArrayEquals(expect, got, 1e-5f, "image " + k);
        }
    }

    @Test
    void givenFailingConsumerOrBadNormalisation_whenBatched_thenTheErrorSurfaces() {
        List<AnomalyImage> imgs = images(2);
        Preprocessing pre = new Preprocessing(8, 8, 8, 8, 3);
        ImageBatches b = ImageBatches.of(imgs, pre, new float[] {0, 0, 0}, new float[] {1, 1, 1}, 1);
        try (NDManager m = NDManager.newBaseManager()) {
            RuntimeException e = assertThrows(IllegalStateException.class,
                    () -> b.forEach(m, (batch, i) -> {
                        throw new IllegalStateException("consumer failed at " + i);
                    }));
            assertEquals("consumer failed at 0", e.getMessage());
        }
        assertThrows(IllegalArgumentException.class,
                () -> ImageBatches.of(imgs, pre, new float[] {0}, new float[] {1}, 2));
    }
}
