package org.anomaly4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.anomaly4j.api.BadFile;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.Label;
import org.anomaly4j.api.LabeledImage;
import org.anomaly4j.api.Mask;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MvtecLayoutTest {
    private static final int W = 16;
    private static final int H = 12;

    @TempDir
    Path root;
    Path cat;

    @BeforeEach
    void makeTree() {
        cat = root.resolve("bottle");
        for (int i = 4; i >= 0; i--) { // written out of order: loading must sort
            TestImages.write(TestImages.noiseRgb(W, H, i), "png", cat.resolve("train/good/00" + i + ".png"));
        }
        for (int i = 0; i < 2; i++) {
            TestImages.write(TestImages.noiseRgb(W, H, 10 + i), "png", cat.resolve("test/good/00" + i + ".png"));
        }
        for (String type : List.of("scratch", "crack")) {
            for (int i = 0; i < 2; i++) {
                TestImages.write(TestImages.greyRect(W, H, 2 + i, 3, 8, 9, 20, 230), "png",
                        cat.resolve("test/" + type + "/00" + i + ".png"));
                TestImages.write(TestImages.greyRect(W, H, 2 + i, 3, 8, 9, 0, 255), "png",
                        cat.resolve("ground_truth/" + type + "/00" + i + "_mask.png"));
            }
        }
    }

    @Test
    void givenMvtecTree_whenTrainLoaded_thenAllNormalInNameOrder() throws IOException {
        ImageSet train = MvtecLayout.train(root, "bottle", LoadOptions.defaults());
        assertEquals(5, train.size());
        assertEquals(List.of("train/good/000.png", "train/good/001.png", "train/good/002.png",
                "train/good/003.png", "train/good/004.png"), train.stream().map(LabeledImage::id).toList());
        assertTrue(train.stream().allMatch(i -> i.label() == Label.NORMAL && i.defectType().equals("good")));
        assertTrue(train.badFiles().isEmpty());
        assertEquals(cat.resolve("train/good/000.png"), train.get(0).source().orElseThrow());
        assertEquals(W, train.get(0).image().width());
    }

    @Test
    void givenMvtecTree_whenTestLoaded_thenTypesSortedWithLabelsAndMasks() throws IOException {
        ImageSet test = MvtecLayout.test(root, "bottle", LoadOptions.defaults());
        assertEquals(6, test.size());
        assertEquals(List.of("crack", "good", "scratch"), test.defectTypes());
        assertEquals(4, test.anomalousCount());
        for (LabeledImage li : test) {
            Mask m = li.mask().orElseThrow();
            if (li.label() == Label.NORMAL) {
                assertTrue(m.isEmpty());
            } else {
                assertEquals(6 * (6 - li.id().charAt(li.id().length() - 5) + '0'), m.count(), li.id());
                assertTrue(m.get(5, 5));
                assertFalse(m.get(0, 0));
            }
        }
    }

    @Test
    void givenRootAtCategoryFolder_whenCategoryNull_thenSameAsNamedCategory() throws IOException {
        DatasetSplit a = MvtecLayout.split(root, "bottle", LoadOptions.defaults());
        DatasetSplit b = MvtecLayout.split(cat, null, LoadOptions.defaults());
        assertEquals(a.train().images(), b.train().images());
        assertEquals(a.test().images(), b.test().images());
        assertEquals(a.test().stream().map(LabeledImage::id).toList(), b.test().stream().map(LabeledImage::id).toList());
    }

    @Test
    void givenMissingCategory_whenLoaded_thenDataFormatExceptionNamesPath() {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> MvtecLayout.train(root, "carpet", LoadOptions.defaults()));
        assertEquals(root.resolve("carpet"), e.file());
        assertTrue(e.getMessage().contains(root.resolve("carpet").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("MVTec"), e.getMessage());
    }

    @Test
    void givenCategoryWithoutTrainFolder_whenTrainLoaded_thenDataFormatException() throws IOException {
        Files.createDirectories(root.resolve("empty"));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> MvtecLayout.train(root, "empty", LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("train/good"), e.getMessage());
    }

    @Test
    void givenCorruptPngAmongGood_whenTrainLoaded_thenBadFileReportedAndOthersKept() throws IOException {
        Path bad = TestImages.truncate(cat.resolve("train/good/001.png"), 0.5, cat.resolve("train/good/001.png"));
        Files.write(cat.resolve("train/good/005.png"), TestImages.randomBytes(500, 7));
        ImageSet train = MvtecLayout.train(root, "bottle", LoadOptions.defaults());
        assertEquals(4, train.size());
        assertEquals(List.of("train/good/000.png", "train/good/002.png", "train/good/003.png",
                "train/good/004.png"), train.stream().map(LabeledImage::id).toList());
        List<BadFile> badFiles = train.badFiles();
        assertEquals(2, badFiles.size());
        assertEquals(bad, badFiles.get(0).path());
        assertTrue(badFiles.get(0).reason().contains("truncated"), badFiles.get(0).reason());
        assertEquals(cat.resolve("train/good/005.png"), badFiles.get(1).path());
        assertTrue(badFiles.get(1).reason().contains("unsupported"), badFiles.get(1).reason());
    }

    @Test
    void givenAnomalousImageWithoutMask_whenTestLoaded_thenBadFileAndImageLeftOut() throws IOException {
        Files.delete(cat.resolve("ground_truth/crack/001_mask.png"));
        ImageSet test = MvtecLayout.test(root, "bottle", LoadOptions.defaults());
        assertEquals(5, test.size());
        assertFalse(test.stream().anyMatch(i -> i.id().equals("test/crack/001.png")));
        assertEquals(1, test.badFiles().size());
        BadFile b = test.badFiles().get(0);
        assertEquals(cat.resolve("test/crack/001.png"), b.path());
        assertTrue(b.reason().contains("missing mask") && b.reason().contains("001_mask.png"), b.reason());
    }

    @Test
    void givenResizeAndProgress_whenTestLoaded_thenMasksResizedAndProgressReported() throws IOException {
        List<long[]> events = new CopyOnWriteArrayList<>();
        LoadOptions o = LoadOptions.resized(2 * W, 2 * H).withProgress((stage, done, total) -> {
            assertEquals("load", stage);
            events.add(new long[] {done, total});
        });
        ImageSet test = MvtecLayout.test(root, "bottle", o);
        for (LabeledImage li : test) {
            assertEquals(2 * W, li.image().width());
            assertEquals(2 * H, li.image().height());
            assertEquals(2 * W, li.mask().orElseThrow().width());
            assertEquals(2 * H, li.mask().orElseThrow().height());
        }
        long[] last = events.get(events.size() - 1);
        assertEquals(6, last[0]);
        assertEquals(6, last[1]);
        for (int i = 1; i < events.size(); i++) {
            assertTrue(events.get(i)[0] >= events.get(i - 1)[0], "progress must not go back");
        }
    }
}
