package org.anomaly4j.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import javax.imageio.ImageIO;

/** Synthetic images for the data tests: everything is generated, nothing is downloaded. */
final class TestImages {
    private TestImages() {
    }

    /** Seeded RGB noise. */
    static BufferedImage noiseRgb(int w, int h, long seed) {
        Random r = new Random(seed);
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                bi.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        return bi;
    }

    /** A smooth RGB gradient (JPEG-friendly). */
    static BufferedImage gradientRgb(int w, int h) {
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = x * 255 / (w - 1);
                int g = y * 255 / (h - 1);
                int b = 128;
                bi.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return bi;
    }

    /** Grey image, {@code fg} inside the rectangle [x0,x1) x [y0,y1), {@code bg} outside. */
    static BufferedImage greyRect(int w, int h, int x0, int y0, int x1, int y1, int bg, int fg) {
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean in = x >= x0 && x < x1 && y >= y0 && y < y1;
                bi.getRaster().setSample(x, y, 0, in ? fg : bg);
            }
        }
        return bi;
    }

    /** Writes {@code bi} as {@code format} ("png", "jpg", "bmp", "tiff") to {@code file}, creating folders. */
    static Path write(BufferedImage bi, String format, Path file) {
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(bi, format, file.toFile())) {
                throw new IllegalStateException("no ImageIO writer for " + format + " / type " + bi.getType());
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Cuts {@code file} to {@code keep} of its bytes, written to {@code target}. */
    static Path truncate(Path file, double keep, Path target) throws IOException {
        byte[] b = Files.readAllBytes(file);
        Files.createDirectories(target.getParent());
        Files.write(target, Arrays.copyOf(b, (int) (b.length * keep)));
        return target;
    }

    /** Seeded random bytes whose first byte is not an image signature. */
    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        b[0] = 0x35;
        return b;
    }
}
