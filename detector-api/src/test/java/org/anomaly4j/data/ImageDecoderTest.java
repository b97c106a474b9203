package org.anomaly4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.data.ImageDecodeException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDecoderTest {
    @TempDir
    Path dir;

    private static void assertExactRgb(BufferedImage src, AnomalyImage img) {
        assertEquals(src.getWidth(), img.width());
        assertEquals(src.getHeight(), img.height());
        assertEquals(3, img.channels());
        for (int y = 0; y < src.getHeight(); y++) {
            for (int x = 0; x < src.getWidth(); x++) {
                int p = src.getRGB(x, y);
                assertEquals(((p >> 16) & 255) / 255f, img.get(0, y, x), 1e-7f, "R at " + x + "," + y);
                assertEquals(((p >> 8) & 255) / 255f, img.get(1, y, x), 1e-7f, "G at " + x + "," + y);
                assertEquals((p & 255) / 255f, img.get(2, y, x), 1e-7f, "B at " + x + "," + y);
            }
        }
    }

    @Test
    void givenRgbPng_whenDecoded_thenValuesRoundTripExactly() throws IOException {
        BufferedImage src = TestImages.noiseRgb(17, 11, 1);
        AnomalyImage img = ImageDecoder.decode(TestImages.write(src, "png", dir.resolve("rgb.png")));
        assertExactRgb(src, img);
    }

    @Test
    void givenBmp_whenDecoded_thenValuesRoundTripExactly() throws IOException {
        BufferedImage src = TestImages.noiseRgb(13, 9, 2);
        assertExactRgb(src, ImageDecoder.decode(TestImages.write(src, "bmp", dir.resolve("rgb.bmp"))));
    }

    @Test
    void givenTiff_whenDecoded_thenValuesRoundTripExactly() throws IOException {
        BufferedImage src = TestImages.noiseRgb(10, 7, 3);
        assertExactRgb(src, ImageDecoder.decode(TestImages.write(src, "tiff", dir.resolve("rgb.tif"))));
    }

    @Test
    void givenJpeg_whenDecoded_thenValuesCloseToSource() throws IOException {
        BufferedImage src = TestImages.gradientRgb(32, 24);
        AnomalyImage img = ImageDecoder.decode(TestImages.write(src, "jpg", dir.resolve("grad.jpg")));
        assertEquals(32, img.width());
        assertEquals(24, img.height());
        assertEquals(3, img.channels());
        double maxErr = 0;
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 32; x++) {
                int p = src.getRGB(x, y);
                maxErr = Math.max(maxErr, Math.abs(((p >> 16) & 255) / 255f - img.get(0, y, x)));
                maxErr = Math.max(maxErr, Math.abs(((p >> 8) & 255) / 255f - img.get(1, y, x)));
                maxErr = Math.max(maxErr, Math.abs((p & 255) / 255f - img.get(2, y, x)));
            }
        }
        assertTrue(maxErr < 0.08, "JPEG error too large: " + maxErr);
    }

    @Test
    void givenGrey8BitPng_whenDecoded_thenOneChannelExact() throws IOException {
        BufferedImage src = new BufferedImage(5, 4, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 20; i++) {
            src.getRaster().setSample(i % 5, i / 5, 0, i * 13);
        }
        AnomalyImage img = ImageDecoder.decode(TestImages.write(src, "png", dir.resolve("g.png")));
        assertEquals(1, img.channels());
        for (int i = 0; i < 20; i++) {
            assertEquals(i * 13 / 255f, img.get(0, i / 5, i % 5), 1e-7f);
        }
    }

    @Test
    void givenRgbaPng_whenDecoded_thenFourChannelsWithAlpha() throws IOException {
        BufferedImage src = new BufferedImage(3, 2, BufferedImage.TYPE_INT_ARGB);
        src.setRGB(0, 0, 0x80FF0000);
        src.setRGB(1, 0, 0xFF00FF00);
        src.setRGB(2, 1, 0x400000FF);
        AnomalyImage img = ImageDecoder.decode(TestImages.write(src, "png", dir.resolve("rgba.png")));
        assertEquals(4, img.channels());
        assertEquals(1f, img.get(0, 0, 0), 1e-7f);
        assertEquals(0x80 / 255f, img.get(3, 0, 0), 1e-7f);
        assertEquals(1f, img.get(1, 0, 1), 1e-7f);
        assertEquals(1f, img.get(3, 0, 1), 1e-7f);
        assertEquals(1f, img.get(2, 1, 2), 1e-7f);
        assertEquals(0x40 / 255f, img.get(3, 1, 2), 1e-7f);
        assertEquals(0f, img.get(3, 1, 0), 1e-7f); // untouched pixel: fully transparent
    }

    @Test
    void given16BitGreyPng_whenDecoded_thenSixteenBitPrecisionKept() throws IOException {
        BufferedImage src = new BufferedImage(4, 1, BufferedImage.TYPE_USHORT_GRAY);
        src.getRaster().setSample(0, 0, 0, 65535);
        src.getRaster().setSample(1, 0, 0, 32768);
        src.getRaster().setSample(2, 0, 0, 1);
        src.getRaster().setSample(3, 0, 0, 257 * 100 + 1);
        AnomalyImage img = ImageDecoder.decode(TestImages.write(src, "png", dir.resolve("u16.png")));
        assertEquals(1, img.channels());
        assertEquals(1f, img.get(0, 0, 0), 1e-7f);
        assertEquals(32768 / 65535f, img.get(0, 0, 1), 1e-7f);
        // below 8-bit resolution: would be 0 or 1/255 if quantised
        assertEquals(1 / 65535f, img.get(0, 0, 2), 1e-9f);
        assertEquals(25701 / 65535f, img.get(0, 0, 3), 1e-7f);
    }

    @Test
    void givenPalettePng_whenDecoded_thenPaletteColoursAsRgb() throws IOException {
        byte[] r = {0, (byte) 255, 10};
        byte[] g = {0, 0, (byte) 200};
        byte[] b = {0, 0, 30};
        IndexColorModel cm = new IndexColorModel(8, 3, r, g, b);
        BufferedImage src = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED, cm);
        src.getRaster().setSample(0, 0, 0, 0);
        src.getRaster().setSample(1, 0, 0, 1);
        src.getRaster().setSample(2, 0, 0, 2);
        AnomalyImage img = ImageDecoder.decode(TestImages.write(src, "png", dir.resolve("pal.png")));
        assertEquals(3, img.channels());
        assertEquals(0f, img.get(0, 0, 0), 1e-7f);
        assertEquals(1f, img.get(0, 0, 1), 1e-7f);
        assertEquals(0f, img.get(1, 0, 1), 1e-7f);
        assertEquals(10 / 255f, img.get(0, 0, 2), 1e-7f);
        assertEquals(200 / 255f, img.get(1, 0, 2), 1e-7f);
        assertEquals(30 / 255f, img.get(2, 0, 2), 1e-7f);
    }

    private static ImageDecodeException failure(Path file, Reason expected) {
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(file));
        assertEquals(expected, e.reason(), e.getMessage());
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
        return e;
    }

    @Test
    void givenEmptyFile_whenDecoded_thenEmpty() throws IOException {
        failure(Files.createFile(dir.resolve("empty.png")), Reason.EMPTY);
    }

    @Test
    void givenRandomBytesNamedPng_whenDecoded_thenUnsupported() throws IOException {
        // no ImageIO reader recognises the signature: the extension does not matter
        failure(Files.write(dir.resolve("noise.png"), TestImages.randomBytes(1000, 42)), Reason.UNSUPPORTED);
    }

    @Test
    void givenPngCutInHalf_whenDecoded_thenTruncated() throws IOException {
        Path full = TestImages.write(TestImages.noiseRgb(64, 48, 1), "png", dir.resolve("full.png"));
        // the cut lands inside IDAT: zlib runs out of input ("Unexpected end of ZLIB input stream")
        failure(TestImages.truncate(full, 0.5, dir.resolve("half.png")), Reason.TRUNCATED);
    }

    @Test
    void givenJpegCutInHalf_whenDecoded_thenTruncated() throws IOException {
        Path full = TestImages.write(TestImages.noiseRgb(64, 48, 1), "jpg", dir.resolve("full.jpg"));
        ImageDecodeException e = failure(TestImages.truncate(full, 0.5, dir.resolve("half.jpg")), Reason.TRUNCATED);
        assertTrue(e.getMessage().toLowerCase().contains("premature end")
                || e.getMessage().toLowerCase().contains("eoi"), e.getMessage());
    }

    @Test
    void givenJpegCutInsideItsHeaders_whenDecoded_thenTruncatedNotCorrupt() throws IOException {
        Path full = TestImages.write(TestImages.greyRect(8, 8, 0, 0, 0, 0, 90, 0), "jpg", dir.resolve("tiny.jpg"));
        // ImageIO fails with "missing SOS marker" after "Truncated File" warnings
        failure(TestImages.truncate(full, 0.3, dir.resolve("head.jpg")), Reason.TRUNCATED);
    }

    @Test
    void givenTextFileNamedJpg_whenDecoded_thenUnsupported() throws IOException {
        failure(Files.writeString(dir.resolve("notes.jpg"), "hello, this is not a JPEG\n"), Reason.UNSUPPORTED);
    }

    @Test
    void givenMissingFile_whenDecoded_thenUnreadable() {
        failure(dir.resolve("missing.png"), Reason.UNREADABLE);
    }
}
