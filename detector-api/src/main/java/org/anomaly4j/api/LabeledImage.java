package org.anomaly4j.api;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One image of a data set with its ground truth: label, defect type ("good" for normal images)
 * and, where known, a pixel mask of the same size as the image.
 */
public final class LabeledImage {
    private final String id;
    private final AnomalyImage image;
    private final Label label;
    private final String defectType;
    private final Mask mask;
    private final Path source;

    public LabeledImage(String id, AnomalyImage image, Label label, String defectType, Mask mask, Path source) {
        this.id = Objects.requireNonNull(id, "id");
        this.image = Objects.requireNonNull(image, "image");
        this.label = Objects.requireNonNull(label, "label");
        this.defectType = defectType == null ? (label == Label.NORMAL ? "good" : "unknown") : defectType;
        if (mask != null && (mask.width() != image.width() || mask.height() != image.height())) {
            throw new InvalidImageException(id + ": mask " + mask.width() + "x" + mask.height()
                    + " does not match image " + image.width() + "x" + image.height());
        }
        this.mask = mask;
        this.source = source;
    }

    /** A normal training image. */
    public static LabeledImage normal(String id, AnomalyImage image) {
        return new LabeledImage(id, image, Label.NORMAL, "good", null, null);
    }

    public String id() {
        return id;
    }

    public AnomalyImage image() {
        return image;
    }

    public Label label() {
        return label;
    }

    public boolean isAnomalous() {
        return label == Label.ANOMALOUS;
    }

    public String defectType() {
        return defectType;
    }

    /** The ground-truth mask; normal images of a test set carry an empty one. */
    public Optional<Mask> mask() {
        return Optional.ofNullable(mask);
    }

    /** The file the image came from, if any. */
    public Optional<Path> source() {
        return Optional.ofNullable(source);
    }

    @Override
    public String toString() {
        return "LabeledImage[" + id + ", " + label + ", " + defectType + ", " + image + "]";
    }
}
