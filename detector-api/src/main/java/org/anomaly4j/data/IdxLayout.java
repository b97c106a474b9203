package org.anomaly4j.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.Label;
import org.anomaly4j.api.LabeledImage;

/**
 * MNIST / Fashion-MNIST IDX files, raw or gzipped ({@code train-images-idx3-ubyte[.gz]},
 * {@code train-labels-idx1-ubyte[.gz]}, {@code t10k-images-idx3-ubyte[.gz]},
 * {@code t10k-labels-idx1-ubyte[.gz]}). Images are grey, values divided by 255; there are no masks.
 *
 * <p>{@link #oneClass} builds the one-class protocol: train on the training images of one class,
 * test on the whole test split with that class normal and every other class anomalous (defect type
 * = class name: the Fashion-MNIST names when the folder name contains "fashion", else
 * {@code class-<k>}). Headers are validated; bad magic numbers, truncated files and count
 * mismatches raise {@link DataFormatException}.
 */
public final class IdxLayout {
    /** Magic number of an IDX file of unsigned-byte images (rank 3). */
    public static final int IMAGES_MAGIC = 2051;
    /** Magic number of an IDX file of unsigned-byte labels (rank 1). */
    public static final int LABELS_MAGIC = 2049;
    /** Fashion-MNIST class names, by label. */
    public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** Number of classes of MNIST and Fashion-MNIST. */
    public static final int CLASSES = 10;

    private static final float[] LUT = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            LUT[i] = i / 255f;
        }
    }

    private IdxLayout() {
    }

    /** Decoded IDX images: {@code count} images of {@code rows x cols} unsigned bytes, row-major. */
    private record Images(int count, int rows, int cols, byte[] data, int offset) {
        AnomalyImage image(int i) {
            int plane = rows * cols;
            float[] px = new float[plane];
            int base = offset + i * plane;
            for (int k = 0; k < plane; k++) {
                px[k] = LUT[data[base + k] & 0xFF];
            }
            return AnomalyImage.of(cols, rows, 1, px);
        }
    }

    /**
     * The one-class split of {@code dir} with {@code normalClass} normal.
     *
     * @throws IllegalArgumentException when {@code normalClass} is outside 0..9
     * @throws DataFormatException      when a file is missing, truncated or malformed
     */
    public static DatasetSplit oneClass(Path dir, int normalClass, LoadOptions o) throws IOException {
        if (normalClass < 0 || normalClass >= CLASSES) {
            throw new IllegalArgumentException("normalClass must be in 0.." + (CLASSES - 1) + ", got " + normalClass);
        }
        if (dir == null) {
            throw new IllegalArgumentException("dir must not be null");
        }
        LoadOptions opts = o == null ? LoadOptions.defaults() : o;
        ParallelLoader.requireDir(dir, "an IDX folder (train-images-idx3-ubyte[.gz], ...)");
        Path trImg = find(dir, "train-images-idx3-ubyte");
        Path trLab = find(dir, "train-labels-idx1-ubyte");
        Path teImg = find(dir, "t10k-images-idx3-ubyte");
        Path teLab = find(dir, "t10k-labels-idx1-ubyte");
        List<String> names = classNames(dir);
        String normalName = names.get(normalClass);

        Images trainImages = readImages(trImg);
        byte[] trainLabels = readLabels(trLab, trainImages.count(), trImg);
        Images testImages = readImages(teImg);
        byte[] testLabels = readLabels(teLab, testImages.count(), teImg);

        int nTrain = 0;
        for (byte b : trainLabels) {
            if ((b & 0xFF) == normalClass) {
                nTrain++;
            }
        }
        long total = (long) nTrain + testImages.count();
        long done = 0;
        opts.progress().progress(LoadOptions.STAGE, 0, total);
        String setName = datasetName(dir) + "/" + normalName;
        List<LabeledImage> train = new ArrayList<>(nTrain);
        for (int i = 0; i < trainImages.count(); i++) {
            if ((trainLabels[i] & 0xFF) != normalClass) {
                continue;
            }
            train.add(new LabeledImage("train-" + i, resize(trainImages.image(i), opts), Label.NORMAL, "good", null,
                    trImg));
            report(opts, ++done, total);
        }
        List<LabeledImage> test = new ArrayList<>(testImages.count());
        for (int i = 0; i < testImages.count(); i++) {
            int k = checkLabel(testLabels[i] & 0xFF, teLab, i, names);
            boolean normal = k == normalClass;
            test.add(new LabeledImage("test-" + i, resize(testImages.image(i), opts),
                    normal ? Label.NORMAL : Label.ANOMALOUS, normal ? "good" : names.get(k), null, teImg));
            report(opts, ++done, total);
        }
        opts.progress().progress(LoadOptions.STAGE, total, total);
        return new DatasetSplit(new ImageSet(setName + "/train", train), new ImageSet(setName + "/test", test));
    }

    /**
     * Raw access: every image of {@code imagesFile} in file order, label {@link Label#UNKNOWN}, defect
     * type = its class name (as {@link #classNames} for the images file's folder), id
     * {@code <file name>#<index>}.
     */
    public static ImageSet read(Path imagesFile, Path labelsFile) throws IOException {
        Images images = readImages(imagesFile);
        byte[] labels = readLabels(labelsFile, images.count(), imagesFile);
        Path parent = imagesFile.toAbsolutePath().getParent();
        List<String> names = classNames(parent);
        String fileName = imagesFile.getFileName().toString();
        List<LabeledImage> items = new ArrayList<>(images.count());
        for (int i = 0; i < images.count(); i++) {
            int k = checkLabel(labels[i] & 0xFF, labelsFile, i, names);
            items.add(new LabeledImage(fileName + "#" + i, images.image(i), Label.UNKNOWN, names.get(k), null,
                    imagesFile));
        }
        return new ImageSet(fileName, items);
    }

    /**
     * The class names used for a folder: the Fashion-MNIST names when its name contains "fashion"
     * (any case), else {@code class-0 .. class-9}.
     */
    public static List<String> classNames(Path dir) {
        Path n = dir == null ? null : dir.toAbsolutePath().normalize().getFileName();
        if (n != null && n.toString().toLowerCase(Locale.ROOT).contains("fashion")) {
            return FASHION_MNIST_CLASSES;
        }
        List<String> out = new ArrayList<>(CLASSES);
        for (int k = 0; k < CLASSES; k++) {
            out.add("class-" + k);
        }
        return List.copyOf(out);
    }

    private static String datasetName(Path dir) {
        Path n = dir.toAbsolutePath().normalize().getFileName();
        return n == null ? "idx" : n.toString();
    }

    private static void report(LoadOptions o, long done, long total) {
        if (done % 1000 == 0 && done < total) {
            o.progress().progress(LoadOptions.STAGE, done, total);
        }
    }

    private static AnomalyImage resize(AnomalyImage img, LoadOptions o) {
        return o.resizes() ? img.resize(o.width(), o.height()) : img;
    }

    private static int checkLabel(int k, Path labelsFile, int index, List<String> names) throws DataFormatException {
        if (k >= names.size()) {
            throw new DataFormatException(labelsFile, "label " + k + " at index " + index + " is outside 0.."
                    + (names.size() - 1));
        }
        return k;
    }

    private static Path find(Path dir, String base) throws DataFormatException {
        for (String name : new String[] {base + ".gz", base, base.replace("-idx", ".idx") + ".gz",
                base.replace("-idx", ".idx")}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new DataFormatException(dir, base + "(.gz) not found: is this an MNIST / Fashion-MNIST IDX folder?");
    }

    private static Images readImages(Path file) throws IOException {
        byte[] b = readAll(file);
        if (b.length < 16) {
            header(file, b, 16);
        }
        int magic = intAt(b, 0);
        if (magic != IMAGES_MAGIC) {
            throw new DataFormatException(file, "bad magic " + magic + ", expected " + IMAGES_MAGIC
                    + " (unsigned-byte images of rank 3)");
        }
        int n = intAt(b, 4);
        int rows = intAt(b, 8);
        int cols = intAt(b, 12);
        if (n < 0 || rows <= 0 || cols <= 0) {
            throw new DataFormatException(file, "bad dimensions " + n + "x" + rows + "x" + cols);
        }
        long expected = 16L + (long) n * rows * cols;
        if (expected > Integer.MAX_VALUE - 8) {
            throw new DataFormatException(file, "too large: " + n + "x" + rows + "x" + cols);
        }
        if (b.length < expected) {
            throw new DataFormatException(file, "truncated: expected " + expected + " bytes, got " + b.length);
        }
        return new Images(n, rows, cols, b, 16);
    }

    private static byte[] readLabels(Path file, int expectedCount, Path imagesFile) throws IOException {
        byte[] b = readAll(file);
        if (b.length < 8) {
            header(file, b, 8);
        }
        int magic = intAt(b, 0);
        if (magic != LABELS_MAGIC) {
            throw new DataFormatException(file, "bad magic " + magic + ", expected " + LABELS_MAGIC
                    + " (unsigned-byte labels of rank 1)");
        }
        int n = intAt(b, 4);
        if (n < 0) {
            throw new DataFormatException(file, "bad label count " + n);
        }
        if (n != expectedCount) {
            throw new DataFormatException(file, "count mismatch: " + n + " labels but " + expectedCount
                    + " images in " + imagesFile);
        }
        long expected = 8L + n;
        if (b.length < expected) {
            throw new DataFormatException(file, "truncated: expected " + expected + " bytes, got " + b.length);
        }
        byte[] out = new byte[n];
        System.arraycopy(b, 8, out, 0, n);
        return out;
    }

    private static void header(Path file, byte[] b, int need) throws DataFormatException {
        throw new DataFormatException(file, b.length == 0 ? "empty file"
                : "truncated: expected a header of " + need + " bytes, got " + b.length);
    }

    private static int intAt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    /** The file's bytes, gunzipped when it starts with the gzip magic number. */
    private static byte[] readAll(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file, "not found: expected an IDX file");
        }
        boolean gz;
        try (InputStream in = Files.newInputStream(file)) {
            gz = in.read() == 0x1f && in.read() == 0x8b;
        }
        if (!gz) {
            return Files.readAllBytes(file);
        }
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16),
                1 << 16)) {
            return in.readAllBytes();
        } catch (EOFException e) {
            throw new DataFormatException(file, "truncated gzip stream: " + e.getMessage(), e);
        } catch (ZipException e) {
            throw new DataFormatException(file, "corrupt gzip stream: " + e.getMessage(), e);
        }
    }
}
