package org.anomaly4j.api;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

import org.anomaly4j.data.ImageDecoder;

/**
 * The library's immutable image value: width, height, 1 (grey), 3 (RGB) or 4 (RGBA) channels of
 * floats in planar (channel, row, column) order, nominally in [0, 1]. 8-bit sources are divided by
 * 255, 16-bit sources by 65535.
 *
 * <p>Every detector takes this type; converters exist from {@link Path} (PNG, JPEG, BMP, TIFF),
 * {@link BufferedImage}, DJL {@code Image} ({@link #fromDjl}) and ND4J {@code INDArray}
 * ({@link Nd4jImages}, optional dependency).
 */
public final class AnomalyImage {
    private final int width;
    private final int height;
    private final int channels;
    private final float[] data; // [c][y][x]

    private AnomalyImage(int width, int height, int channels, float[] data) {
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.data = data;
    }

    /**
     * An image from planar (channel, row, column) floats, copied.
     *
     * @throws InvalidImageException on a bad size or channel count, or a NaN or infinite value
     */
    public static AnomalyImage of(int width, int height, int channels, float[] chw) {
        if (width <= 0 || height <= 0) {
            throw new InvalidImageException("image size must be positive, got " + width + "x" + height);
        }
        if (channels != 1 && channels != 3 && channels != 4) {
            throw new InvalidImageException("channels must be 1, 3 or 4, got " + channels);
        }
        long n = (long) width * height * channels;
        if (chw == null || chw.length != n) {
            throw new InvalidImageException("expected " + n + " values for " + width + "x" + height + "x"
                    + channels + ", got " + (chw == null ? "null" : chw.length));
        }
        for (int i = 0; i < chw.length; i++) {
            if (!Float.isFinite(chw[i])) {
                int plane = width * height;
                throw new InvalidImageException("non-finite value " + chw[i] + " at channel " + (i / plane)
                        + ", y=" + (i % plane) / width + ", x=" + (i % width));
            }
        }
        return new AnomalyImage(width, height, channels, chw.clone());
    }

    /** Wraps without copying or checking: for this package's and the library's own producers. */
    static AnomalyImage wrap(int width, int height, int channels, float[] chw) {
        return new AnomalyImage(width, height, channels, chw);
    }

    /** Reads and decodes an image file (PNG, JPEG, BMP, TIFF; 8 or 16 bit; grey, RGB, RGBA). */
    public static AnomalyImage read(Path file) throws IOException {
        return ImageDecoder.decode(file);
    }

    /** Converts a {@link BufferedImage} of any type; 16-bit rasters keep their precision. */
    public static AnomalyImage fromBufferedImage(BufferedImage image) {
        return ImageDecoder.fromBufferedImage(image);
    }

    /**
     * Converts a DJL image. Images backed by a {@link BufferedImage} convert directly; others go
     * through an NDArray in a short-lived manager.
     */
    public static AnomalyImage fromDjl(ai.djl.modality.cv.Image image) {
        Object wrapped = image.getWrappedImage();
        if (wrapped instanceof BufferedImage bi) {
            return fromBufferedImage(bi);
        }
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            ai.djl.ndarray.NDArray hwc = image.toNDArray(m); // uint8 HWC
            long[] s = hwc.getShape().getShape();
            int h = (int) s[0];
            int w = (int) s[1];
            int c = (int) s[2];
            float[] chw = hwc.transpose(2, 0, 1).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                    .div(255f).toFloatArray();
            return of(w, h, c, chw);
        }
    }

    /** A DJL image of this picture (8-bit, backed by a {@link BufferedImage}). */
    public ai.djl.modality.cv.Image toDjl() {
        return ai.djl.modality.cv.ImageFactory.getInstance().fromImage(toBufferedImage());
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int channels() {
        return channels;
    }

    /** The value at channel {@code c}, row {@code y}, column {@code x}. */
    public float get(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }

    /** A copy of the planar (channel, row, column) data. */
    public float[] toArray() {
        return data.clone();
    }

    /** Copies the planar data into {@code dst} at {@code offset}; avoids a second copy when batching. */
    public void copyTo(float[] dst, int offset) {
        System.arraycopy(data, 0, dst, offset, data.length);
    }

    /** Number of values: width &times; height &times; channels. */
    public int size() {
        return data.length;
    }

    /** Grey image (ITU-R 601 luma for colour input; alpha dropped). */
    public AnomalyImage toGrey() {
        if (channels == 1) {
            return this;
        }
        int plane = width * height;
        float[] out = new float[plane];
        for (int i = 0; i < plane; i++) {
            out[i] = 0.299f * data[i] + 0.587f * data[plane + i] + 0.114f * data[2 * plane + i];
        }
        return new AnomalyImage(width, height, 1, out);
    }

    /** RGB image: grey is replicated, alpha dropped. */
    public AnomalyImage toRgb() {
        if (channels == 3) {
            return this;
        }
        int plane = width * height;
        float[] out = new float[3 * plane];
        if (channels == 1) {
            for (int c = 0; c < 3; c++) {
                System.arraycopy(data, 0, out, c * plane, plane);
            }
        } else {
            System.arraycopy(data, 0, out, 0, 3 * plane);
        }
        return new AnomalyImage(width, height, 3, out);
    }

    /** Converts to 1 or 3 channels. */
    public AnomalyImage withChannels(int target) {
        if (target == 1) {
            return toGrey();
        }
        if (target == 3) {
            return toRgb();
        }
        throw new InvalidImageException("target channels must be 1 or 3, got " + target);
    }

    /**
     * Resizes with an antialiased bilinear (triangle) filter, as PIL's {@code Image.BILINEAR} does:
     * when shrinking, the filter widens with the scale so no source pixel is skipped. An image whose
     * values are all 8-bit levels ({@code k / 255}, as decoded from 8-bit files) is resized with PIL's
     * 8-bit arithmetic bit for bit ({@link Resampling#resizePlanes8}), so it gives the pixels a Python
     * pipeline resizing with PIL gives; other images are resized in floating point.
     */
    public AnomalyImage resize(int newWidth, int newHeight) {
        if (newWidth <= 0 || newHeight <= 0) {
            throw new InvalidImageException("target size must be positive, got " + newWidth + "x" + newHeight);
        }
        if (newWidth == width && newHeight == height) {
            return this;
        }
        float[] out = Resampling.onByteGrid(data)
                ? Resampling.resizePlanes8(data, channels, width, height, newWidth, newHeight)
                : Resampling.resizePlanes(data, channels, width, height, newWidth, newHeight);
        return new AnomalyImage(newWidth, newHeight, channels, out);
    }

    /** Centre crop as PIL/torchvision do: the offset is {@code round((size - crop) / 2)}. */
    public AnomalyImage centerCrop(int cropWidth, int cropHeight) {
        if (cropWidth <= 0 || cropHeight <= 0 || cropWidth > width || cropHeight > height) {
            throw new InvalidImageException("crop " + cropWidth + "x" + cropHeight + " does not fit in "
                    + width + "x" + height);
        }
        int left = (int) Math.round((width - cropWidth) / 2.0);
        int top = (int) Math.round((height - cropHeight) / 2.0);
        float[] out = new float[channels * cropWidth * cropHeight];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < cropHeight; y++) {
                System.arraycopy(data, (c * height + top + y) * width + left, out, (c * cropHeight + y) * cropWidth,
                        cropWidth);
            }
        }
        return new AnomalyImage(cropWidth, cropHeight, channels, out);
    }

    /** An 8-bit {@link BufferedImage} (grey, RGB or ARGB), values clamped to [0,1]. */
    public BufferedImage toBufferedImage() {
        int type = channels == 1 ? BufferedImage.TYPE_BYTE_GRAY
                : channels == 3 ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_INT_ARGB;
        BufferedImage out = new BufferedImage(width, height, type);
        int plane = width * height;
        if (channels == 1) {
            byte[] px = new byte[plane];
            for (int i = 0; i < plane; i++) {
                px[i] = (byte) to8(data[i]);
            }
            out.getRaster().setDataElements(0, 0, width, height, px);
            return out;
        }
        int[] argb = new int[plane];
        for (int i = 0; i < plane; i++) {
            int a = channels == 4 ? to8(data[3 * plane + i]) : 255;
            argb[i] = a << 24 | to8(data[i]) << 16 | to8(data[plane + i]) << 8 | to8(data[2 * plane + i]);
        }
        out.setRGB(0, 0, width, height, argb, 0, width);
        return out;
    }

    private static int to8(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255f)));
    }

    /** SHA-256 of size, channel count and values: identical images give identical fingerprints. */
    public String fingerprint() {
        MessageDigest md = sha256();
        update(md);
        return HexFormat.of().formatHex(md.digest());
    }

    /** Feeds this image's size and values into a digest (used for training-set fingerprints). */
    public void update(MessageDigest md) {
        ByteBuffer b = ByteBuffer.allocate(12 + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(width).putInt(height).putInt(channels);
        b.asFloatBuffer().put(data); // the view starts after the three ints
        md.update(b.array());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JVM", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnomalyImage a && a.width == width && a.height == height && a.channels == channels
                && Arrays.equals(a.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * width + height) + channels) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "AnomalyImage[" + width + "x" + height + "x" + channels + "]";
    }
}
