package org.anomaly4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.Label;
import org.anomaly4j.api.LabeledImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxLayoutTest {
    private static final Path REAL_FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir
    Path root;

    /** IDX images: n x rows x cols, pixel (i, k) = (i * 7 + k) mod 256. */
    static byte[] images(int magic, int n, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * rows * cols);
        b.putInt(magic).putInt(n).putInt(rows).putInt(cols);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < rows * cols; k++) {
                b.put((byte) (i * 7 + k));
            }
        }
        return b.array();
    }

    /** IDX labels: label i = i mod 10. */
    static byte[] labels(int magic, int n) {
        ByteBuffer b = ByteBuffer.allocate(8 + n);
        b.putInt(magic).putInt(n);
        for (int i = 0; i < n; i++) {
            b.put((byte) (i % 10));
        }
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bos)) {
            out.write(raw);
        }
        return bos.toByteArray();
    }

    /** A folder with 40 training and 30 test images of 28x28. */
    private Path idxDir(String name, boolean gz) throws IOException {
        Path d = Files.createDirectories(root.resolve(name));
        String ext = gz ? ".gz" : "";
        Files.write(d.resolve("train-images-idx3-ubyte" + ext), gz ? gzip(images(2051, 40, 28, 28))
                : images(2051, 40, 28, 28));
        Files.write(d.resolve("train-labels-idx1-ubyte" + ext), gz ? gzip(labels(2049, 40)) : labels(2049, 40));
        Files.write(d.resolve("t10k-images-idx3-ubyte" + ext), gz ? gzip(images(2051, 30, 28, 28))
                : images(2051, 30, 28, 28));
        Files.write(d.resolve("t10k-labels-idx1-ubyte" + ext), gz ? gzip(labels(2049, 30)) : labels(2049, 30));
        return d;
    }

    @Test
    void givenRawAndGzippedFiles_whenRead_thenSameImagesScaledBy255() throws IOException {
        Path raw = idxDir("raw", false);
        Path gz = idxDir("gz", true);
        ImageSet a = IdxLayout.read(raw.resolve("train-images-idx3-ubyte"), raw.resolve("train-labels-idx1-ubyte"));
        ImageSet b = IdxLayout.read(gz.resolve("train-images-idx3-ubyte.gz"), gz.resolve("train-labels-idx1-ubyte.gz"));
        assertEquals(40, a.size());
        assertEquals(a.images(), b.images());
        LabeledImage third = a.get(3);
        assertEquals(28, third.image().width());
        assertEquals(28, third.image().height());
        assertEquals(1, third.image().channels());
        assertEquals(((3 * 7 + 29) & 255) / 255f, third.image().get(0, 1, 1), 1e-7f);
        assertEquals(((3 * 7 + 783) & 255) / 255f, third.image().get(0, 27, 27), 1e-7f);
        assertEquals(Label.UNKNOWN, third.label());
        assertEquals("class-3", third.defectType());
        assertEquals("train-images-idx3-ubyte#3", third.id());
        assertTrue(third.mask().isEmpty());
    }

    @Test
    void givenFashionFolder_whenOneClass_thenClassNormalRestAnomalousByName() throws IOException {
        Path d = idxDir("fashion-tiny", true);
        DatasetSplit s = IdxLayout.oneClass(d, 3, LoadOptions.defaults());
        assertEquals(4, s.train().size()); // labels 3, 13, 23, 33
        assertTrue(s.train().stream().allMatch(i -> i.label() == Label.NORMAL));
        assertEquals(List.of("train-3", "train-13", "train-23", "train-33"),
                s.train().stream().map(LabeledImage::id).toList());
        assertEquals(30, s.test().size());
        assertEquals(27, s.test().anomalousCount());
        assertEquals("test-3", s.test().get(3).id()); // label 3 = Dress, the normal class
        assertEquals(Label.NORMAL, s.test().get(3).label());
        assertEquals("good", s.test().get(3).defectType());
        assertEquals("T-shirt/top", s.test().get(0).defectType());
        assertEquals("Ankle boot", s.test().get(9).defectType());
        assertEquals(Label.ANOMALOUS, s.test().get(9).label());
        assertTrue(s.test().stream().allMatch(i -> i.mask().isEmpty()));
    }

    @Test
    void givenPlainFolderAndResize_whenOneClass_thenClassKNamesAndResizedImages() throws IOException {
        Path d = idxDir("digits", false);
        DatasetSplit s = IdxLayout.oneClass(d, 0, LoadOptions.resized(14, 14));
        assertEquals("class-7", s.test().get(7).defectType());
        assertEquals(14, s.train().get(0).image().width());
        assertEquals(14, s.test().get(29).image().height());
    }

    @Test
    void givenClassOutOfRange_whenOneClass_thenIllegalArgumentNamesIt() throws IOException {
        Path d = idxDir("fashion", true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IdxLayout.oneClass(d, 10, LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("normalClass") && e.getMessage().contains("10"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IdxLayout.oneClass(d, -1, LoadOptions.defaults()));
    }

    @Test
    void givenBadMagic_whenRead_thenDataFormatExceptionNamesFileAndMagic() throws IOException {
        Path img = Files.write(root.resolve("imgs"), images(1234, 2, 28, 28));
        Path lab = Files.write(root.resolve("labs"), labels(2049, 2));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxLayout.read(img, lab));
        assertEquals(img, e.file());
        assertTrue(e.getMessage().contains(img.toString()) && e.getMessage().contains("bad magic 1234, expected 2051"),
                e.getMessage());
        Path img2 = Files.write(root.resolve("imgs2"), images(2051, 2, 28, 28));
        Path badLab = Files.write(root.resolve("labs2"), labels(2051, 2));
        DataFormatException e2 = assertThrows(DataFormatException.class, () -> IdxLayout.read(img2, badLab));
        assertTrue(e2.getMessage().contains("bad magic 2051, expected 2049"), e2.getMessage());
    }

    @Test
    void givenTruncatedImages_whenRead_thenDataFormatExceptionWithSizes() throws IOException {
        byte[] full = images(2051, 3, 28, 28);
        Path img = Files.write(root.resolve("imgs"), Arrays.copyOf(full, 100));
        Path lab = Files.write(root.resolve("labs"), labels(2049, 3));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxLayout.read(img, lab));
        assertTrue(e.getMessage().contains("truncated: expected " + (16 + 3 * 784) + " bytes, got 100"),
                e.getMessage());
        Path header = Files.write(root.resolve("hdr"), Arrays.copyOf(full, 10));
        assertTrue(assertThrows(DataFormatException.class, () -> IdxLayout.read(header, lab)).getMessage()
                .contains("truncated"));
        Path empty = Files.write(root.resolve("empty"), new byte[0]);
        assertTrue(assertThrows(DataFormatException.class, () -> IdxLayout.read(empty, lab)).getMessage()
                .contains("empty"));
    }

    @Test
    void givenTruncatedGzip_whenRead_thenDataFormatException() throws IOException {
        byte[] gz = gzip(images(2051, 50, 28, 28));
        Path img = Files.write(root.resolve("imgs.gz"), Arrays.copyOf(gz, gz.length / 2));
        Path lab = Files.write(root.resolve("labs"), labels(2049, 50));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxLayout.read(img, lab));
        assertEquals(img, e.file());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void givenLabelCountMismatch_whenRead_thenDataFormatException() throws IOException {
        Path img = Files.write(root.resolve("imgs"), images(2051, 5, 28, 28));
        Path lab = Files.write(root.resolve("labs"), labels(2049, 4));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxLayout.read(img, lab));
        assertEquals(lab, e.file());
        assertTrue(e.getMessage().contains("4 labels but 5 images"), e.getMessage());
    }

    @Test
    void givenMissingFile_whenOneClass_thenDataFormatExceptionNamesIt() throws IOException {
        Path d = idxDir("fashion", true);
        Files.delete(d.resolve("t10k-labels-idx1-ubyte.gz"));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> IdxLayout.oneClass(d, 0, LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte") && e.getMessage().contains(d.toString()),
                e.getMessage());
        assertThrows(DataFormatException.class,
                () -> IdxLayout.oneClass(root.resolve("absent"), 0, LoadOptions.defaults()));
    }

    /** The installed Fashion-MNIST (optional): 6000 training images per class, 10000 test images. */
    @Test
    void givenInstalledFashionMnist_whenOneClass_thenProtocolSizes() throws IOException {
        assumeTrue(Files.isRegularFile(REAL_FASHION.resolve("train-images-idx3-ubyte.gz")),
                "Fashion-MNIST not installed at " + REAL_FASHION);
        DatasetSplit s = IdxLayout.oneClass(REAL_FASHION, 8, LoadOptions.defaults());
        assertEquals(6000, s.train().size());
        assertEquals(10000, s.test().size());
        assertEquals(9000, s.test().anomalousCount());
        assertTrue(s.test().defectTypes().contains("Ankle boot"));
        assertEquals("fashion-mnist/Bag/train", s.train().name());
    }
}
