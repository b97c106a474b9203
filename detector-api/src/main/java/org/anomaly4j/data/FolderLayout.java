package org.anomaly4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.Label;
import org.anomaly4j.data.ParallelLoader.Job;
import org.anomaly4j.data.ParallelLoader.MaskMode;

/**
 * A generic folder layout: a folder of normal images, an optional folder of anomalous images and
 * an optional folder of masks named by a pattern.
 *
 * <ul>
 * <li>Images: {@code png, jpg, jpeg, bmp, tif, tiff} (any case); hidden files are skipped; any
 * other file is reported in {@link ImageSet#badFiles()} as {@code "unsupported file type"}.</li>
 * <li>Anomalous images directly in {@code anomalousDir} have defect type {@code "anomalous"};
 * one level of sub-folders gives defect types named after the sub-folder.</li>
 * <li>Masks: {@code maskPattern} with {@code {stem}} (file name without extension) and
 * {@code {name}} (full file name), e.g. {@code "{stem}_mask.png"}; looked up in
 * {@code maskDir/<defect type>/} first, then in {@code maskDir/}. Without a mask folder images
 * carry no mask; with one, normal images get an empty mask and an anomalous image without its
 * mask is a bad file.</li>
 * </ul>
 * Order: normal files by name, then anomalous files directly in the folder by name, then each
 * sub-folder by name.
 */
public final class FolderLayout {
    /** Accepted image extensions (lower case). */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "tif", "tiff");
    /** Defect type of anomalous images lying directly in the anomalous folder. */
    public static final String ANOMALOUS = "anomalous";
    /** The mask pattern used when none is given. */
    public static final String DEFAULT_MASK_PATTERN = "{stem}_mask.png";

    private FolderLayout() {
    }

    /**
     * Loads normal and (optionally) anomalous images.
     *
     * @param normalDir    folder of normal images (required)
     * @param anomalousDir folder of anomalous images, or {@code null}
     * @param maskDir      folder of masks, or {@code null} for no masks
     * @param maskPattern  mask file name with {@code {stem}} or {@code {name}}; {@code null} means
     *                     {@value #DEFAULT_MASK_PATTERN}
     * @param o            load options ({@code null} = defaults)
     * @throws DataFormatException when a given folder does not exist
     */
    public static ImageSet load(Path normalDir, Path anomalousDir, Path maskDir, String maskPattern, LoadOptions o)
            throws IOException {
        if (normalDir == null) {
            throw new IllegalArgumentException("normalDir must not be null");
        }
        String pattern = maskPattern == null ? DEFAULT_MASK_PATTERN : maskPattern;
        if (!pattern.contains("{stem}") && !pattern.contains("{name}")) {
            throw new IllegalArgumentException("maskPattern must contain {stem} or {name}, got '" + maskPattern + "'");
        }
        ParallelLoader.requireDir(normalDir, "a folder of normal images");
        if (anomalousDir != null) {
            ParallelLoader.requireDir(anomalousDir, "a folder of anomalous images");
        }
        if (maskDir != null) {
            ParallelLoader.requireDir(maskDir, "a folder of masks");
        }
        List<Job> jobs = new ArrayList<>();
        addImages(jobs, normalDir, normalDir, Label.NORMAL, "good", maskDir == null ? MaskMode.NONE : MaskMode.EMPTY,
                null, null, pattern);
        if (anomalousDir != null) {
            MaskMode mode = maskDir == null ? MaskMode.NONE : MaskMode.FILE;
            addImages(jobs, anomalousDir, anomalousDir, Label.ANOMALOUS, ANOMALOUS, mode, maskDir, null, pattern);
            for (Path sub : ParallelLoader.subdirs(anomalousDir)) {
                String type = sub.getFileName().toString();
                addImages(jobs, anomalousDir, sub, Label.ANOMALOUS, type, mode, maskDir, type, pattern);
            }
        }
        Path n = normalDir.toAbsolutePath().normalize().getFileName();
        return ParallelLoader.load(n == null ? "folder" : n.toString(), jobs,
                o == null ? LoadOptions.defaults() : o);
    }

    /** Normal images only, without masks: a training folder. */
    public static ImageSet normals(Path dir, LoadOptions o) throws IOException {
        return load(dir, null, null, null, o);
    }

    /** The mask file name of {@code image} under {@code pattern}. */
    public static String maskName(Path image, String pattern) {
        return pattern.replace("{stem}", ParallelLoader.stem(image))
                .replace("{name}", image.getFileName().toString());
    }

    private static void addImages(List<Job> jobs, Path base, Path dir, Label label, String type, MaskMode mode,
            Path maskDir, String maskSub, String pattern) throws IOException {
        String prefix = base.toAbsolutePath().normalize().getFileName() == null ? ""
                : base.toAbsolutePath().normalize().getFileName() + "/";
        for (Path f : ParallelLoader.files(dir)) {
            if (!EXTENSIONS.contains(ParallelLoader.extension(f))) {
                jobs.add(Job.bad(f, "unsupported file type"));
                continue;
            }
            Path mask = null;
            if (mode == MaskMode.FILE) {
                String m = maskName(f, pattern);
                mask = maskDir.resolve(m);
                if (maskSub != null) {
                    Path inSub = maskDir.resolve(maskSub).resolve(m);
                    if (Files.isRegularFile(inSub) || !Files.isRegularFile(mask)) {
                        mask = inSub;
                    }
                }
            }
            jobs.add(Job.image(f, prefix + ParallelLoader.relativeId(base, f), label, type, mode, mask));
        }
    }
}
