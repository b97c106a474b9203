package org.anomaly4j.testdata;

import java.util.Locale;

/** A kind of planted defect. Sizes scale with the smaller image side. */
public enum DefectKind {
    /** A thin straight line segment of random angle and length, bright on dark content or dark on bright. */
    SCRATCH,
    /** A dark filled ellipse. */
    HOLE,
    /** An irregular blob with a hard edge whose colour and brightness are shifted, smoothly inside. */
    STAIN,
    /** A thin dark random-walk polyline, sometimes branched. */
    CRACK,
    /** Material missing: for objects a bite out of the rim showing the background, for textures a patch showing the backing. */
    MISSING;

    /** The lower-case name, used as the defect type of test images, e.g. {@code scratch}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The defect named {@code id} (case-insensitive). */
    public static DefectKind of(String id) {
        for (DefectKind d : values()) {
            if (d.id().equalsIgnoreCase(id)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown defect '" + id + "', expected one of scratch, hole, stain, "
                + "crack, missing");
    }
}
