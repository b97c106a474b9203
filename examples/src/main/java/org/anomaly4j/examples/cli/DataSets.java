package org.anomaly4j.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.data.DatasetSplit;
import org.anomaly4j.data.FolderLayout;
import org.anomaly4j.data.IdxLayout;
import org.anomaly4j.data.LoadOptions;
import org.anomaly4j.data.MtdLayout;
import org.anomaly4j.data.MvtecLayout;

/** The CLI's {@code --layout} choices, mapped onto the library's loaders. */
final class DataSets {
    /** Where Debian's dataset-fashion-mnist package puts the IDX files. */
    static final String FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

    private DataSets() {
    }

    /** A loaded split and a name for reports. */
    record Loaded(String name, DatasetSplit split) {
    }

    /** The MTD benchmark protocol resizes images and masks to 224x224 at load time (BENCHMARKS.md). */
    static final int MTD_PROTOCOL_SIZE = 224;

    /**
     * Loads a split. {@code loadSize} resizes every image and mask to loadSize x loadSize at load
     * time (0 = keep original sizes, -1 = the layout's protocol default: 224 for mtd, else original).
     */
    static Loaded load(String layout, String data, String category, int loadSize, ProgressListener progress)
            throws IOException {
        String l = layout.toLowerCase(Locale.ROOT);
        int size = loadSize >= 0 ? loadSize : l.equals("mtd") ? MTD_PROTOCOL_SIZE : 0;
        LoadOptions o = LoadOptions.defaults().withSize(size, size).withProgress(progress);
        switch (l) {
            case "mvtec": {
                Path root = requireDir(data);
                return new Loaded("mvtec/" + (category == null ? root.getFileName() : category),
                        MvtecLayout.split(root, category, o));
            }
            case "mtd":
                return new Loaded("mtd", MtdLayout.split(requireDir(data), 0, o));
            case "fashion-mnist": {
                Path dir = requireDir(data == null ? FASHION_MNIST_DIR : data);
                int cls;
                try {
                    cls = category == null ? 0 : Integer.parseInt(category);
                } catch (NumberFormatException e) {
                    throw new UsageException("--category for fashion-mnist is the normal class 0-9, got '"
                            + category + "'");
                }
                if (cls < 0 || cls > 9) {
                    throw new UsageException("--category for fashion-mnist is the normal class 0-9, got " + cls);
                }
                return new Loaded("fashion-mnist/" + cls, IdxLayout.oneClass(dir, cls, o));
            }
            case "folder": {
                Path root = requireDir(data);
                Path train = root.resolve("train");
                Path normal = root.resolve("test").resolve("normal");
                Path anomalous = root.resolve("test").resolve("anomalous");
                Path masks = root.resolve("masks");
                if (!Files.isDirectory(train) || !Files.isDirectory(normal)) {
                    throw new UsageException("folder layout expects " + root + "/train, " + root + "/test/normal, "
                            + root + "/test/anomalous and optionally " + root + "/masks");
                }
                ImageSet tr = FolderLayout.normals(train, o);
                ImageSet te = FolderLayout.load(normal, Files.isDirectory(anomalous) ? anomalous : null,
                        Files.isDirectory(masks) ? masks : null, FolderLayout.DEFAULT_MASK_PATTERN, o);
                return new Loaded("folder/" + root.getFileName(), new DatasetSplit(tr, te));
            }
            default:
                throw new UsageException("unknown --layout '" + layout + "': use mvtec, folder, mtd or fashion-mnist");
        }
    }

    private static Path requireDir(String data) {
        if (data == null) {
            throw new UsageException("missing required option --data");
        }
        Path p = Path.of(data);
        if (!Files.isDirectory(p)) {
            throw new UsageException("--data " + data + " is not a directory");
        }
        return p;
    }
}
