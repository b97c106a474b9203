package org.anomaly4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.Label;
import org.anomaly4j.data.ParallelLoader.Job;
import org.anomaly4j.data.ParallelLoader.MaskMode;

/**
 * The MVTec AD layout of one category:
 *
 * <pre>
 * root/category/train/good/*.png                     normal training images
 * root/category/test/good/*.png                      normal test images (empty mask)
 * root/category/test/&lt;type&gt;/*.png                    anomalous, defect type = &lt;type&gt;
 * root/category/ground_truth/&lt;type&gt;/&lt;stem&gt;_mask.png  their masks (value &gt; 0.5 = anomalous)
 * </pre>
 *
 * Defect types are read in name order, files in name order. With a {@code null} category,
 * {@code root} is the category folder itself. An anomalous image without a mask, and any file
 * that cannot be decoded, is reported in {@link ImageSet#badFiles()} and left out; other non-PNG
 * files are reported as unsupported. Missing layout folders raise {@link DataFormatException}.
 */
public final class MvtecLayout {
    private static final String GOOD = "good";

    private MvtecLayout() {
    }

    /** The normal training images of {@code category/train/good}. */
    public static ImageSet train(Path root, String category, LoadOptions o) throws IOException {
        Path cat = categoryDir(root, category);
        Path good = cat.resolve("train").resolve(GOOD);
        ParallelLoader.requireDir(good, "train/good under " + cat + ": is this an MVTec AD category folder?");
        List<Job> jobs = new ArrayList<>();
        addPngs(jobs, cat, good, Label.NORMAL, GOOD, MaskMode.NONE, null);
        return ParallelLoader.load(name(cat) + "/train", jobs, options(o));
    }

    /** The test images of every {@code category/test/<type>}, types and files in name order. */
    public static ImageSet test(Path root, String category, LoadOptions o) throws IOException {
        Path cat = categoryDir(root, category);
        Path test = cat.resolve("test");
        ParallelLoader.requireDir(test, "test/<type> folders under " + cat + ": is this an MVTec AD category folder?");
        List<Job> jobs = new ArrayList<>();
        for (Path typeDir : ParallelLoader.subdirs(test)) {
            String type = typeDir.getFileName().toString();
            if (GOOD.equals(type)) {
                addPngs(jobs, cat, typeDir, Label.NORMAL, GOOD, MaskMode.EMPTY, null);
            } else {
                addPngs(jobs, cat, typeDir, Label.ANOMALOUS, type, MaskMode.FILE,
                        cat.resolve("ground_truth").resolve(type));
            }
        }
        return ParallelLoader.load(name(cat) + "/test", jobs, options(o));
    }

    /** Train and test sets of one category. */
    public static DatasetSplit split(Path root, String category, LoadOptions o) throws IOException {
        return new DatasetSplit(train(root, category, o), test(root, category, o));
    }

    private static void addPngs(List<Job> jobs, Path cat, Path dir, Label label, String type, MaskMode mode,
            Path maskDir) throws IOException {
        for (Path f : ParallelLoader.files(dir)) {
            if (!"png".equals(ParallelLoader.extension(f))) {
                jobs.add(Job.bad(f, "unsupported file type (MVTec AD images are .png)"));
                continue;
            }
            Path mask = maskDir == null ? null : maskDir.resolve(ParallelLoader.stem(f) + "_mask.png");
            jobs.add(Job.image(f, ParallelLoader.relativeId(cat, f), label, type, mode, mask));
        }
    }

    private static Path categoryDir(Path root, String category) throws DataFormatException {
        if (root == null) {
            throw new IllegalArgumentException("root must not be null");
        }
        ParallelLoader.requireDir(root, category == null ? "an MVTec AD category folder (train/, test/, ground_truth/)"
                : "an MVTec AD folder holding the category '" + category + "'");
        if (category == null) {
            return root;
        }
        if (category.isBlank() || category.contains("/") || category.contains("\\") || category.equals("..")) {
            throw new IllegalArgumentException("category must be a plain folder name, got '" + category + "'");
        }
        Path cat = root.resolve(category);
        if (!Files.isDirectory(cat)) {
            throw new DataFormatException(cat, "category '" + category + "' not found under " + root
                    + ": is this an MVTec AD folder?");
        }
        return cat;
    }

    private static String name(Path cat) {
        Path n = cat.toAbsolutePath().normalize().getFileName();
        return n == null ? "mvtec" : n.toString();
    }

    private static LoadOptions options(LoadOptions o) {
        return o == null ? LoadOptions.defaults() : o;
    }
}
