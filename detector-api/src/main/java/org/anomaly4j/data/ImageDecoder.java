package org.anomaly4j.data;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.InvalidImageException;

/**
 * Decodes PNG, JPEG, BMP and TIFF files (8 or 16 bit per sample; grey, grey+alpha, RGB, RGBA,
 * palette) into {@link AnomalyImage}s with values in [0,1]. Failures raise
 * {@link ImageDecodeException} naming the file; a decoder warning such as a premature end of JPEG
 * data counts as {@link ImageDecodeException.Reason#TRUNCATED}, never as a silently grey image.
 */
public final class ImageDecoder {
    static {
        ImageIO.setUseCache(false);
    }

    private ImageDecoder() {
    }

    /** Decodes one file. */
    public static AnomalyImage decode(Path file) throws ImageDecodeException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new ImageDecodeException(file, ImageDecodeException.Reason.UNREADABLE, "no such file", e);
        } catch (IOException e) {
            throw new ImageDecodeException(file, ImageDecodeException.Reason.UNREADABLE, e.getMessage(), e);
        }
        if (size == 0) {
            throw new ImageDecodeException(file, ImageDecodeException.Reason.EMPTY, "0 bytes", null);
        }
        List<String> warnings = new ArrayList<>();
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new ImageDecodeException(file, ImageDecodeException.Reason.UNREADABLE, "cannot open", null);
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageDecodeException(file, ImageDecodeException.Reason.UNSUPPORTED,
                        "not a PNG, JPEG, BMP or TIFF file", null);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                reader.addIIOReadWarningListener((src, warning) -> warnings.add(warning));
                BufferedImage bi = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new ImageDecodeException(file, ImageDecodeException.Reason.TRUNCATED,
                            String.join("; ", warnings.stream().distinct().toList()), null);
                }
                return fromBufferedImage(bi);
            } finally {
                reader.dispose();
            }
        } catch (ImageDecodeException e) {
            throw e;
        } catch (EOFException | IndexOutOfBoundsException e) {
            throw new ImageDecodeException(file, ImageDecodeException.Reason.TRUNCATED, e.getMessage(), e);
        } catch (IIOException e) {
            String msg = String.valueOf(e.getMessage()) + (e.getCause() != null ? ": " + e.getCause().getMessage() : "");
            // a JPEG cut inside its headers fails ("missing SOS marker") after "Truncated File" warnings
            boolean prematureEnd = warnings.stream().map(String::toLowerCase)
                    .anyMatch(w -> w.contains("premature end") || w.contains("truncated"));
            if (!warnings.isEmpty()) {
                msg = msg + "; " + String.join("; ", warnings.stream().distinct().toList());
            }
            boolean eof = e.getCause() instanceof EOFException || msg.toLowerCase().contains("end of")
                    || msg.toLowerCase().contains("eof") || prematureEnd;
            if (msg.toLowerCase().contains("unsupported")) {
                throw new ImageDecodeException(file, ImageDecodeException.Reason.UNSUPPORTED, msg, e);
            }
            throw new ImageDecodeException(file, eof ? ImageDecodeException.Reason.TRUNCATED
                    : ImageDecodeException.Reason.CORRUPT, msg, e);
        } catch (IOException | RuntimeException e) {
            throw new ImageDecodeException(file, ImageDecodeException.Reason.CORRUPT,
                    e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** Converts any {@link BufferedImage}; 16-bit and float rasters keep their precision. */
    public static AnomalyImage fromBufferedImage(BufferedImage bi) {
        if (bi == null) {
            throw new InvalidImageException("null image");
        }
        int w = bi.getWidth();
        int h = bi.getHeight();
        ColorModel cm = bi.getColorModel();
        Raster r = bi.getRaster();
        int bands = r.getNumBands();
        boolean standardSpace = cm.getColorSpace().isCS_sRGB()
                || cm.getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY;
        if (cm instanceof IndexColorModel || !standardSpace || bands > 4) {
            return viaRgb(bi, cm.hasAlpha());
        }
        int channels = bands == 2 ? 1 : bands; // grey+alpha keeps grey
        int dataType = r.getDataBuffer().getDataType();
        int plane = w * h;
        float[] out = new float[channels * plane];
        float[] row = new float[w];
        for (int c = 0; c < channels; c++) {
            float scale = dataType == DataBuffer.TYPE_FLOAT || dataType == DataBuffer.TYPE_DOUBLE ? 1f
                    : (float) ((1L << cm.getComponentSize(c)) - 1);
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, c, row);
                for (int x = 0; x < w; x++) {
                    out[c * plane + y * w + x] = row[x] / scale;
                }
            }
        }
        return AnomalyImage.of(w, h, channels, out);
    }

    private static AnomalyImage viaRgb(BufferedImage bi, boolean alpha) {
        int w = bi.getWidth();
        int h = bi.getHeight();
        int plane = w * h;
        int[] argb = bi.getRGB(0, 0, w, h, null, 0, w);
        int channels = alpha ? 4 : 3;
        float[] out = new float[channels * plane];
        for (int i = 0; i < plane; i++) {
            int p = argb[i];
            out[i] = ((p >> 16) & 255) / 255f;
            out[plane + i] = ((p >> 8) & 255) / 255f;
            out[2 * plane + i] = (p & 255) / 255f;
            if (alpha) {
                out[3 * plane + i] = ((p >>> 24) & 255) / 255f;
            }
        }
        return AnomalyImage.of(w, h, channels, out);
    }
}
