package org.anomaly4j.testdata;

import java.util.Locale;

/** The normal content of a synthetic category: a texture that fills the image or an object on a background. */
public enum Kind {
    /** Crossed sinusoidal gratings (a woven fabric), orientation and phase jittered per image. */
    WEAVE(false),
    /** Wood-like grain: rings bent by smoothed seeded noise plus fibres; every image a new noise field. */
    GRAIN(false),
    /** A periodic grid of soft dark lines over knobbly cells (carpet, mesh); offset and angle jittered. */
    GRID(false),
    /** A centred shaded metal disc with a groove, on a dark background; position, size, brightness jittered. */
    DISC(true),
    /** A hexagonal brass nut with a central hole; position and rotation jittered. */
    NUT(true),
    /** A rounded square ceramic tile with a bevel and a printed ring; position and rotation jittered. */
    TILE(true);

    private final boolean object;

    Kind(boolean object) {
        this.object = object;
    }

    /** The lower-case name used in ids and on the command line, e.g. {@code weave}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this is an object on a background (defects are placed on the object) rather than a texture. */
    public boolean isObject() {
        return object;
    }

    /** The kind named {@code id} (case-insensitive). */
    public static Kind of(String id) {
        for (Kind k : values()) {
            if (k.id().equalsIgnoreCase(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown kind '" + id + "', expected one of weave, grain, grid, disc, "
                + "nut, tile");
    }
}
