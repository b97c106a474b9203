package org.anomaly4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.anomaly4j.api.BadFile;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.Label;
import org.anomaly4j.api.LabeledImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderLayoutTest {
    @TempDir
    Path root;

    private Path normal() throws IOException {
        Path n = root.resolve("ok");
        TestImages.write(TestImages.noiseRgb(8, 6, 1), "png", n.resolve("b.png"));
        TestImages.write(TestImages.noiseRgb(8, 6, 2), "jpg", n.resolve("a.JPG"));
        TestImages.write(TestImages.noiseRgb(8, 6, 3), "bmp", n.resolve("c.Bmp"));
        TestImages.write(TestImages.noiseRgb(8, 6, 4), "tiff", n.resolve("d.tiff"));
        TestImages.write(TestImages.noiseRgb(8, 6, 5), "jpg", n.resolve("e.jpeg"));
        TestImages.write(TestImages.noiseRgb(8, 6, 6), "tiff", n.resolve("f.TIF"));
        Files.writeString(n.resolve(".DS_Store"), "hidden");
        Files.createDirectories(n.resolve(".thumbs"));
        return n;
    }

    @Test
    void givenNormalFolderOfAllFormats_whenLoaded_thenAllNormalInNameOrderWithoutMasks() throws IOException {
        ImageSet set = FolderLayout.normals(normal(), LoadOptions.defaults());
        assertEquals(List.of("ok/a.JPG", "ok/b.png", "ok/c.Bmp", "ok/d.tiff", "ok/e.jpeg", "ok/f.TIF"),
                set.stream().map(LabeledImage::id).toList());
        assertTrue(set.stream().allMatch(i -> i.label() == Label.NORMAL && i.mask().isEmpty()));
        assertTrue(set.badFiles().isEmpty(), set.badFiles().toString());
        assertEquals("ok", set.name());
    }

    @Test
    void givenUnsupportedExtension_whenLoaded_thenBadFileAndOthersKept() throws IOException {
        Path n = normal();
        Files.writeString(n.resolve("readme.txt"), "not an image");
        Files.writeString(n.resolve("noext"), "not an image");
        TestImages.write(TestImages.noiseRgb(8, 6, 9), "png", n.resolve("g.gif"));
        ImageSet set = FolderLayout.normals(n, LoadOptions.defaults());
        assertEquals(6, set.size());
        assertEquals(List.of(new BadFile(n.resolve("g.gif"), "unsupported file type"),
                new BadFile(n.resolve("noext"), "unsupported file type"),
                new BadFile(n.resolve("readme.txt"), "unsupported file type")), set.badFiles());
    }

    @Test
    void givenMissingNormalDir_whenLoaded_thenDataFormatExceptionNamesPath() {
        Path missing = root.resolve("nowhere");
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> FolderLayout.load(missing, null, null, null, LoadOptions.defaults()));
        assertEquals(missing, e.file());
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("normal images"),
                e.getMessage());
    }

    @Test
    void givenMissingAnomalousDir_whenLoaded_thenDataFormatException() throws IOException {
        Path n = normal();
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> FolderLayout.load(n, root.resolve("bad"), null, null, LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("anomalous"), e.getMessage());
    }

    @Test
    void givenPatternWithoutPlaceholder_whenLoaded_thenIllegalArgumentNamesPattern() throws IOException {
        Path n = normal();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FolderLayout.load(n, null, root, "mask.png", LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("maskPattern") && e.getMessage().contains("mask.png"), e.getMessage());
    }

    @Test
    void givenAnomalousSubFoldersAndMasks_whenLoaded_thenDefectTypesAndMasksByPattern() throws IOException {
        Path n = normal();
        Path an = root.resolve("defects");
        Path masks = root.resolve("masks");
        TestImages.write(TestImages.greyRect(8, 6, 1, 1, 3, 3, 0, 200), "png", an.resolve("loose.png"));
        TestImages.write(TestImages.greyRect(8, 6, 1, 1, 3, 3, 0, 255), "png", masks.resolve("loose.png"));
        TestImages.write(TestImages.greyRect(8, 6, 0, 0, 4, 2, 0, 200), "png", an.resolve("hole/x1.png"));
        TestImages.write(TestImages.greyRect(8, 6, 0, 0, 4, 2, 0, 255), "png", masks.resolve("hole/x1.png"));
        TestImages.write(TestImages.greyRect(8, 6, 5, 0, 8, 6, 0, 200), "png", an.resolve("cut/y1.png"));
        TestImages.write(TestImages.greyRect(8, 6, 5, 0, 8, 6, 0, 255), "png", masks.resolve("y1.png")); // flat
        TestImages.write(TestImages.greyRect(8, 6, 5, 0, 8, 6, 0, 200), "png", an.resolve("cut/y2.png")); // no mask

        ImageSet set = FolderLayout.load(n, an, masks, "{stem}.png", LoadOptions.defaults());

        assertEquals(List.of("good", FolderLayout.ANOMALOUS, "cut", "hole"), set.defectTypes());
        assertEquals(9, set.size());
        assertEquals(3, set.anomalousCount());
        assertTrue(set.normals().stream().allMatch(i -> i.mask().orElseThrow().isEmpty()));
        List<LabeledImage> anomalous = set.stream().filter(LabeledImage::isAnomalous).toList();
        assertEquals(List.of("defects/loose.png", "defects/cut/y1.png", "defects/hole/x1.png"),
                anomalous.stream().map(LabeledImage::id).toList());
        assertEquals(List.of(4, 18, 8), anomalous.stream().map(i -> i.mask().orElseThrow().count()).toList());
        assertEquals(1, set.badFiles().size());
        assertEquals(an.resolve("cut/y2.png"), set.badFiles().get(0).path());
        assertTrue(set.badFiles().get(0).reason().contains("missing mask"), set.badFiles().get(0).reason());
    }

    @Test
    void givenNamePattern_whenLoaded_thenMaskFoundByFullName() throws IOException {
        Path n = normal();
        Path an = root.resolve("an");
        TestImages.write(TestImages.greyRect(8, 6, 1, 1, 3, 3, 0, 200), "jpg", an.resolve("p.jpg"));
        TestImages.write(TestImages.greyRect(8, 6, 1, 1, 3, 3, 0, 255), "png", root.resolve("m/p.jpg.mask.png"));
        ImageSet set = FolderLayout.load(n, an, root.resolve("m"), "{name}.mask.png", LoadOptions.defaults());
        LabeledImage p = set.stream().filter(LabeledImage::isAnomalous).findFirst().orElseThrow();
        assertEquals(4, p.mask().orElseThrow().count());
        assertEquals("p.jpg.mask.png", FolderLayout.maskName(Path.of("p.jpg"), "{name}.mask.png"));
        assertEquals("p_mask.png", FolderLayout.maskName(Path.of("x/p.jpg"), "{stem}_mask.png"));
    }

    @Test
    void givenAnomalousWithoutMaskDir_whenLoaded_thenNoMasks() throws IOException {
        Path n = normal();
        Path an = root.resolve("an");
        TestImages.write(TestImages.noiseRgb(8, 6, 7), "png", an.resolve("z.png"));
        ImageSet set = FolderLayout.load(n, an, null, null, LoadOptions.defaults());
        LabeledImage z = set.get(set.size() - 1);
        assertEquals(Label.ANOMALOUS, z.label());
        assertEquals(FolderLayout.ANOMALOUS, z.defectType());
        assertNull(z.mask().orElse(null));
    }

    @Test
    void givenManyFiles_whenLoadedWithOneOrFourThreads_thenSameOrderAndValues() throws IOException {
        Path n = root.resolve("many");
        for (int i = 0; i < 40; i++) {
            TestImages.write(TestImages.noiseRgb(10, 10, i), "png", n.resolve(String.format("img%03d.png", 39 - i)));
        }
        ImageSet one = FolderLayout.normals(n, LoadOptions.defaults().withThreads(1));
        ImageSet four = FolderLayout.normals(n, LoadOptions.defaults().withThreads(4));
        assertEquals(one.stream().map(LabeledImage::id).toList(), four.stream().map(LabeledImage::id).toList());
        assertEquals(one.images(), four.images());
        assertEquals("many/img000.png", one.get(0).id());
    }
}
