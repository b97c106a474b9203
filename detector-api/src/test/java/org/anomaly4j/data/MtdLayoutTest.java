package org.anomaly4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.Label;
import org.anomaly4j.api.LabeledImage;
import org.anomaly4j.api.Mask;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MtdLayoutTest {
    /** numpy 1.24: {@code list(np.random.default_rng(0).permutation(20))}. */
    private static final int[] NUMPY_PERM_SEED0_N20 = {4, 19, 6, 2, 13, 16, 3, 11, 10, 8, 0, 12, 7, 5, 18, 17, 14, 9,
        1, 15};
    private static final Path REAL_MTD = Path.of("/work/shared/data/mtd");

    @TempDir
    Path root;

    /** 20 free tiles (with the empty png masks the real set has), MT_Crack x2 and MT_Blowhole x3. */
    private List<String> fakeTree() throws IOException {
        List<String> free = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String stem = "exp" + (i % 3) + "_num_" + (1000 + 37 * i);
            free.add(stem + ".jpg");
            TestImages.write(TestImages.greyRect(20, 16, 0, 0, 0, 0, 60 + i, 0), "jpg",
                    root.resolve("MT_Free/Imgs/" + stem + ".jpg"));
            TestImages.write(TestImages.greyRect(20, 16, 0, 0, 0, 0, 0, 0), "png",
                    root.resolve("MT_Free/Imgs/" + stem + ".png"));
        }
        Files.writeString(root.resolve("MT_Free/Imgs/.hidden.jpg"), "not a tile");
        for (String d : List.of("MT_Crack", "MT_Blowhole")) {
            int n = d.equals("MT_Crack") ? 2 : 3;
            for (int i = n - 1; i >= 0; i--) {
                String stem = "exp1_num_" + (500 + i);
                TestImages.write(TestImages.greyRect(20, 16, 2 + i, 3, 10, 9, 40, 220), "jpg",
                        root.resolve(d + "/Imgs/" + stem + ".jpg"));
                // anti-aliased edge: 127 is normal, 128 anomalous
                java.awt.image.BufferedImage m = TestImages.greyRect(20, 16, 2 + i, 3, 10, 9, 0, 255);
                m.getRaster().setSample(0, 0, 0, 127);
                m.getRaster().setSample(1, 0, 0, 128);
                TestImages.write(m, "png", root.resolve(d + "/Imgs/" + stem + ".png"));
            }
        }
        free.sort(null);
        return free;
    }

    @Test
    void givenFakeMtdTree_whenSplit_thenNumpyPermutationProtocol() throws IOException {
        List<String> free = fakeTree();
        DatasetSplit s = MtdLayout.split(root, 0, LoadOptions.defaults());

        assertEquals(16, s.train().size());
        assertEquals(4 + 5, s.test().size());
        List<String> expectedTrain = new ArrayList<>();
        List<String> expectedTest = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = "MT_Free/Imgs/" + free.get(NUMPY_PERM_SEED0_N20[i]);
            (i < 16 ? expectedTrain : expectedTest).add(id);
        }
        for (String d : List.of("MT_Blowhole", "MT_Crack")) {
            for (int i = 0; i < (d.equals("MT_Crack") ? 2 : 3); i++) {
                expectedTest.add(d + "/Imgs/exp1_num_" + (500 + i) + ".jpg");
            }
        }
        assertEquals(expectedTrain, s.train().stream().map(LabeledImage::id).toList());
        assertEquals(expectedTest, s.test().stream().map(LabeledImage::id).toList());
        assertTrue(s.train().stream().allMatch(i -> i.label() == Label.NORMAL && i.mask().isEmpty()));
        assertEquals(List.of("good", "MT_Blowhole", "MT_Crack"), s.test().defectTypes());
        assertEquals(5, s.test().anomalousCount());
        assertTrue(s.train().badFiles().isEmpty() && s.test().badFiles().isEmpty());
    }

    @Test
    void givenFakeMtdTree_whenSplit_thenMasksAlignedAndThresholdedAbove127() throws IOException {
        fakeTree();
        DatasetSplit s = MtdLayout.split(root, 0, LoadOptions.defaults());
        for (LabeledImage li : s.test()) {
            Mask m = li.mask().orElseThrow();
            assertEquals(li.image().width(), m.width());
            assertEquals(li.image().height(), m.height());
            if (li.label() == Label.NORMAL) {
                assertTrue(m.isEmpty());
                continue;
            }
            assertTrue(li.image().channels() == 1);
            int i = li.id().charAt(li.id().length() - 5) - '0';
            assertEquals((8 - i) * 6 + 1, m.count(), li.id()); // rectangle + the 128 pixel
            assertTrue(m.get(1, 0) && !m.get(0, 0));
            for (int y = 3; y < 9; y++) {
                for (int x = 2 + i; x < 10; x++) {
                    assertTrue(m.get(x, y));
                    assertTrue(li.image().get(0, y, x) > 0.5f, "bright where the mask is");
                }
            }
        }
    }

    @Test
    void givenOtherSeed_whenSplit_thenSameSizesOtherOrder() throws IOException {
        fakeTree();
        DatasetSplit a = MtdLayout.split(root, 0, LoadOptions.defaults());
        DatasetSplit b = MtdLayout.split(root, 7, LoadOptions.defaults());
        assertEquals(16, b.train().size());
        assertEquals(9, b.test().size());
        assertTrue(!a.train().stream().map(LabeledImage::id).toList()
                .equals(b.train().stream().map(LabeledImage::id).toList()));
    }

    @Test
    void givenTruncatedJpegAndMissingMask_whenSplit_thenBadFilesAndSplitUnchanged() throws IOException {
        List<String> free = fakeTree();
        DatasetSplit clean = MtdLayout.split(root, 0, LoadOptions.defaults());
        String victim = free.get(NUMPY_PERM_SEED0_N20[0]); // first training tile
        Path v = root.resolve("MT_Free/Imgs/" + victim);
        TestImages.truncate(v, 0.5, v);
        Files.delete(root.resolve("MT_Crack/Imgs/exp1_num_501.png"));

        DatasetSplit s = MtdLayout.split(root, 0, LoadOptions.defaults());

        assertEquals(15, s.train().size());
        assertEquals(clean.train().stream().skip(1).map(LabeledImage::id).toList(),
                s.train().stream().map(LabeledImage::id).toList());
        assertEquals(1, s.train().badFiles().size());
        assertEquals(v, s.train().badFiles().get(0).path());
        assertTrue(s.train().badFiles().get(0).reason().contains("truncated"), s.train().badFiles().get(0).reason());
        assertEquals(8, s.test().size());
        assertEquals(1, s.test().badFiles().size());
        assertEquals(root.resolve("MT_Crack/Imgs/exp1_num_501.jpg"), s.test().badFiles().get(0).path());
        assertTrue(s.test().badFiles().get(0).reason().contains("missing mask"));
    }

    @Test
    void givenFolderWithoutMtFree_whenSplit_thenDataFormatExceptionExplains() throws IOException {
        TestImages.write(TestImages.noiseRgb(4, 4, 1), "jpg", root.resolve("MT_Crack/Imgs/a.jpg"));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> MtdLayout.split(root, 0, LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("MT_Free/Imgs not found under " + root), e.getMessage());
        assertTrue(e.getMessage().contains("Magnetic Tile Defect"), e.getMessage());
        DataFormatException missing = assertThrows(DataFormatException.class,
                () -> MtdLayout.split(root.resolve("nope"), 0, LoadOptions.defaults()));
        assertEquals(root.resolve("nope"), missing.file());
    }

    @Test
    void givenDefectFolderWithoutImgs_whenSplit_thenDataFormatException() throws IOException {
        fakeTree();
        Files.createDirectories(root.resolve("MT_Fray"));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> MtdLayout.split(root, 0, LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("MT_Fray"), e.getMessage());
    }

    /** The real data set (optional): counts of the Python reference, mtd.json. */
    @Test
    @Tag("slow")
    void givenRealMtd_whenSplitAt224_thenCountsMatchPythonReference() throws IOException {
        assumeTrue(Files.isDirectory(REAL_MTD.resolve("MT_Free/Imgs")), "MTD not present at " + REAL_MTD);
        DatasetSplit s = MtdLayout.split(REAL_MTD, 0, LoadOptions.resized(224, 224));
        assertEquals(761, s.train().size());
        assertEquals(583, s.test().size());
        ImageSet test = s.test();
        assertEquals(392, test.anomalousCount());
        Map<String, Long> perType = test.stream()
                .collect(Collectors.groupingBy(LabeledImage::defectType, TreeMap::new, Collectors.counting()));
        assertEquals(Map.of("MT_Blowhole", 115L, "MT_Break", 85L, "MT_Crack", 57L, "MT_Fray", 32L,
                "MT_Uneven", 103L, "good", 191L), perType);
        assertEquals("MT_Free/Imgs/exp4_num_10227.jpg", s.train().get(0).id());
        assertEquals("MT_Free/Imgs/exp4_num_258885.jpg", s.train().get(760).id());
        assertEquals("MT_Free/Imgs/exp4_num_266329.jpg", test.get(0).id());
        assertEquals("MT_Free/Imgs/exp4_num_37293.jpg", test.get(190).id());
        assertTrue(s.train().badFiles().isEmpty() && test.badFiles().isEmpty());
        assertEquals(5, test.stream().filter(i -> i.isAnomalous() && i.mask().orElseThrow().isEmpty()).count(),
                "anomalous images whose 224x224 mask is empty (mtd.json)");
    }
}
