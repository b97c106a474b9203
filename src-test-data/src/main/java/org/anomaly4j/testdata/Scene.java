package org.anomaly4j.testdata;

/**
 * A rendered defect-free image plus what the defect painter needs: the shape of the object (a
 * signed distance, negative inside; for textures the distance to the image border), its centre,
 * and the backdrop that shows where material is missing.
 */
final class Scene {
    /** Signed distance in pixels, negative inside the object; pixel centres are at integer coordinates. */
    interface Sdf {
        double at(double x, double y);
    }

    final Kind kind;
    final int width;
    final int height;
    final int channels;
    final float[] clean; // planar, quantised to k/255
    final float[] backdrop; // planar, quantised to k/255
    final Sdf shape;
    final double cx;
    final double cy;

    Scene(Kind kind, int width, int height, int channels, float[] clean, float[] backdrop, Sdf shape, double cx,
            double cy) {
        this.kind = kind;
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.clean = clean;
        this.backdrop = backdrop;
        this.shape = shape;
        this.cx = cx;
        this.cy = cy;
    }

    double sdf(double x, double y) {
        return shape.at(x, y);
    }

    /** Fully covered by the object (or any pixel of a texture). */
    boolean interior(int x, int y) {
        return shape.at(x, y) <= -0.5;
    }

    double minSide() {
        return Math.min(width, height);
    }

    /** Mean over channels of the clean value at a pixel. */
    double grey(int x, int y) {
        int plane = width * height;
        double s = 0;
        for (int c = 0; c < channels; c++) {
            s += clean[c * plane + y * width + x];
        }
        return s / channels;
    }
}
