package org.anomaly4j.testdata;

import java.util.Objects;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.Label;
import org.anomaly4j.api.LabeledImage;
import org.anomaly4j.api.Mask;

/**
 * One generated image with everything needed to check it: the defect-free rendering
 * ({@link #clean()}), the image itself (equal to {@code clean} for normal samples) and the
 * ground-truth mask.
 *
 * <p>The mask is exact: a pixel is in the mask if and only if the defect changed its value, and
 * every masked pixel differs from the clean rendering by at least
 * {@link SyntheticDefects#MIN_DEFECT_DELTA} in at least one channel. Pixels outside the mask are
 * bitwise equal to the clean rendering. Normal samples have an empty mask.
 *
 * @param id         unique within its data set, e.g. {@code grain/test/scratch/003}
 * @param kind       the normal content, e.g. {@code grain}
 * @param defectType the planted defect, or {@code good}
 * @param clean      the same image rendered without its defect
 * @param image      the image
 * @param mask       exactly the pixels the defect changed
 * @param foreground the pixels fully covered by the object (every pixel for a texture); defects
 *                   other than {@code missing} lie inside it
 */
public record Sample(String id, String kind, String defectType, AnomalyImage clean, AnomalyImage image,
        Mask mask, Mask foreground) {

    public Sample {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(defectType, "defectType");
        Objects.requireNonNull(clean, "clean");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(foreground, "foreground");
    }

    public boolean isAnomalous() {
        return !"good".equals(defectType);
    }

    /** A test-set entry: label, defect type and mask (empty for normal samples). */
    public LabeledImage toTestImage() {
        return new LabeledImage(id, image, isAnomalous() ? Label.ANOMALOUS : Label.NORMAL, defectType, mask, null);
    }

    /** A training-set entry: normal, no mask. */
    public LabeledImage toTrainImage() {
        if (isAnomalous()) {
            throw new IllegalStateException(id + " is anomalous and cannot be a training image");
        }
        return LabeledImage.normal(id, image);
    }
}
