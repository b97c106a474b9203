package org.anomaly4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.LabeledImage;
import org.anomaly4j.api.Mask;
import org.anomaly4j.api.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadOptionsTest {
    @TempDir
    Path root;

    @Test
    void givenDefaults_whenInspected_thenNoResizeAndTwoToFourThreads() {
        LoadOptions o = LoadOptions.defaults();
        assertFalse(o.resizes());
        assertTrue(o.threads() >= 2 && o.threads() <= 4);
        assertEquals(ProgressListener.NONE, o.progress());
        assertEquals(ProgressListener.NONE, o.withProgress(null).progress());
    }

    @Test
    void givenBadValues_whenBuilt_thenIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.resized(0, 10));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.defaults().withSize(10, 0));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.defaults().withSize(-1, -1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoadOptions.defaults().withThreads(0));
        assertTrue(e.getMessage().contains("threads"), e.getMessage());
        assertTrue(LoadOptions.defaults().withSize(0, 0).width() == 0);
    }

    /** Image bright exactly where the mask is set; after resizing, image > 0.5 must still match the mask. */
    private void assertAligned(ImageSet set, int w, int h) {
        LabeledImage li = set.stream().filter(LabeledImage::isAnomalous).findFirst().orElseThrow();
        AnomalyImage img = li.image();
        Mask m = li.mask().orElseThrow();
        assertEquals(w, img.width());
        assertEquals(h, img.height());
        assertEquals(w, m.width());
        assertEquals(h, m.height());
        assertTrue(m.count() > 0);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                assertEquals(img.get(0, y, x) > 0.5f, m.get(x, y), "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void givenResizeOption_whenLoadedWithMasks_thenMasksStayAlignedWithImages() throws IOException {
        TestImages.write(TestImages.noiseRgb(32, 24, 1), "png", root.resolve("normal/n.png"));
        TestImages.write(TestImages.greyRect(32, 24, 6, 4, 20, 14, 0, 255), "png", root.resolve("an/a.png"));
        TestImages.write(TestImages.greyRect(32, 24, 6, 4, 20, 14, 0, 255), "png", root.resolve("masks/a_mask.png"));

        ImageSet up = FolderLayout.load(root.resolve("normal"), root.resolve("an"), root.resolve("masks"),
                "{stem}_mask.png", LoadOptions.resized(64, 48));
        assertAligned(up, 64, 48);
        ImageSet down = FolderLayout.load(root.resolve("normal"), root.resolve("an"), root.resolve("masks"),
                "{stem}_mask.png", LoadOptions.resized(16, 12));
        assertAligned(down, 16, 12);
        LabeledImage n = down.get(0);
        assertEquals(16, n.mask().orElseThrow().width());
        assertTrue(n.mask().orElseThrow().isEmpty());
        // 7x4 of the 16x12 grid: the rectangle [3,10) x [2,7)
        assertEquals(35, down.get(1).mask().orElseThrow().count());
    }
}
