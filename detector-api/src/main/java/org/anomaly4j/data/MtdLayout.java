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
 * The Magnetic Tile Defect data set (Huang et al. 2018):
 *
 * <pre>
 * root/MT_Free/Imgs/*.jpg                 normal tiles
 * root/MT_&lt;Defect&gt;/Imgs/*.jpg + *.png     defective tiles and same-stem masks (&gt; 127 = anomalous)
 * </pre>
 *
 * The protocol is that of the Python reference ({@code load_mtd}): the {@code MT_Free} jpgs sorted
 * by name are permuted with numpy's {@code default_rng(seed).permutation(n)}; the first
 * {@code floor(0.8 n)} are the training set, the rest (in permutation order) the test normals,
 * followed by every defect folder in the order of {@link #DEFECTS}, files by name. Defect
 * folders that are absent are skipped. Files that cannot be decoded, and defective images whose
 * mask is missing, are reported in {@link ImageSet#badFiles()} without changing the split of the
 * others.
 */
public final class MtdLayout {
    /** The defect folders, in test-set order. */
    public static final List<String> DEFECTS = List.of("MT_Blowhole", "MT_Break", "MT_Crack", "MT_Fray", "MT_Uneven");
    /** The folder of defect-free tiles. */
    public static final String FREE = "MT_Free";
    /** The default permutation seed of the protocol. */
    public static final long DEFAULT_SEED = 0L;
    /** Fraction of the defect-free tiles that goes to training (floored). */
    public static final double TRAIN_FRACTION = 0.8;

    private MtdLayout() {
    }

    /** The protocol split with seed 0. */
    public static DatasetSplit split(Path root, LoadOptions o) throws IOException {
        return split(root, DEFAULT_SEED, o);
    }

    /**
     * The protocol split.
     *
     * @throws DataFormatException when {@code root} or {@code root/MT_Free/Imgs} is missing, or a
     *                             defect folder has no {@code Imgs} folder
     */
    public static DatasetSplit split(Path root, long seed, LoadOptions o) throws IOException {
        if (root == null) {
            throw new IllegalArgumentException("root must not be null");
        }
        LoadOptions opts = o == null ? LoadOptions.defaults() : o;
        ParallelLoader.requireDir(root, "a Magnetic Tile Defect folder (MT_Free/Imgs, MT_<Defect>/Imgs)");
        Path freeDir = root.resolve(FREE).resolve("Imgs");
        if (!Files.isDirectory(freeDir)) {
            throw new DataFormatException(root, FREE + "/Imgs not found under " + root
                    + ": is this a Magnetic Tile Defect folder?");
        }
        List<Path> free = jpgs(freeDir);
        int n = free.size();
        int[] perm = NumpyRandom.permutation(seed, n);
        int nTrain = (int) (TRAIN_FRACTION * n); // as Python's int(0.8 * n)

        List<Job> train = new ArrayList<>(nTrain);
        List<Job> test = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path f = free.get(perm[i]);
            String id = ParallelLoader.relativeId(root, f);
            if (i < nTrain) {
                train.add(Job.image(f, id, Label.NORMAL, "good", MaskMode.NONE, null));
            } else {
                test.add(Job.image(f, id, Label.NORMAL, "good", MaskMode.EMPTY, null));
            }
        }
        for (String d : DEFECTS) {
            Path dir = root.resolve(d);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            Path imgs = dir.resolve("Imgs");
            if (!Files.isDirectory(imgs)) {
                throw new DataFormatException(dir, "Imgs not found in defect folder " + d
                        + ": expected " + d + "/Imgs/*.jpg with same-stem .png masks");
            }
            for (Path f : jpgs(imgs)) {
                Path mask = imgs.resolve(ParallelLoader.stem(f) + ".png");
                test.add(Job.image(f, ParallelLoader.relativeId(root, f), Label.ANOMALOUS, d, MaskMode.FILE, mask));
            }
        }
        // one progress stream over both sets
        int total = train.size() + test.size();
        LoadOptions trainOpts = opts.withProgress((s, done, t) -> opts.progress().progress(s, done, total));
        LoadOptions testOpts = opts.withProgress((s, done, t) -> opts.progress().progress(s, train.size() + done,
                total));
        ImageSet trainSet = ParallelLoader.load("MTD/train", train, trainOpts);
        ImageSet testSet = ParallelLoader.load("MTD/test", test, testOpts);
        return new DatasetSplit(trainSet, testSet);
    }

    /** Non-hidden files ending in ".jpg" (exactly, as the reference's glob), sorted by name. */
    private static List<Path> jpgs(Path dir) throws IOException {
        return ParallelLoader.files(dir).stream().filter(p -> p.getFileName().toString().endsWith(".jpg")).toList();
    }
}
