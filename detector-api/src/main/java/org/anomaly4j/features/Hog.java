package org.anomaly4j.features;

/**
 * Histogram of oriented gradients (Dalal &amp; Triggs 2005) of a grey image, computed exactly as
 * scikit-image 0.19's {@code skimage.feature.hog(image, orientations=9, pixels_per_cell=(8, 8),
 * cells_per_block=(2, 2), block_norm='L2-Hys', feature_vector=True)}:
 *
 * <ol>
 *   <li>gradients by the centred difference {@code [-1, 0, 1]} in x and y, zero on the image border;</li>
 *   <li>unsigned orientation in [0&deg;, 180&deg;), 9 bins of 20&deg;, hard assignment (no
 *       interpolation); each cell of 8x8 pixels sums its pixels' gradient magnitudes per bin and divides
 *       by 64 (pixels beyond the last whole cell are ignored);</li>
 *   <li>overlapping blocks of 2x2 cells (stride one cell), each normalised by L2-Hys: L2 normalise
 *       ({@code eps = 1e-5}), clip at 0.2, L2 normalise again;</li>
 *   <li>output order (block row, block column, cell row in block, cell column in block, orientation).</li>
 * </ol>
 *
 * Static, allocation-light and thread-safe.
 */
public final class Hog {
    /** Orientation bins over 180 degrees. */
    public static final int ORIENTATIONS = 9;
    /** Cell side in pixels. */
    public static final int CELL = 8;
    /** Block side in cells. */
    public static final int BLOCK = 2;
    private static final double EPS2 = 1e-5 * 1e-5;
    private static final double CLIP = 0.2;
    /** cot of the bin boundaries 20, 40, ..., 160 degrees. */
    private static final double COT1 = cot(20);
    private static final double COT2 = cot(40);
    private static final double COT3 = cot(60);
    private static final double COT4 = cot(80);
    private static final double COT5 = cot(100);
    private static final double COT6 = cot(120);
    private static final double COT7 = cot(140);
    private static final double COT8 = cot(160);

    private static double cot(double degrees) {
        double r = Math.toRadians(degrees);
        return Math.cos(r) / Math.sin(r);
    }

    private Hog() {
    }

    /** Length of the descriptor of a {@code width x height} image (0 when it holds no whole block). */
    public static int length(int width, int height) {
        int bx = width / CELL - BLOCK + 1;
        int by = height / CELL - BLOCK + 1;
        return bx < 1 || by < 1 ? 0 : bx * by * BLOCK * BLOCK * ORIENTATIONS;
    }

    /** The descriptor of a row-major grey image. */
    public static float[] compute(float[] grey, int width, int height) {
        float[] out = new float[length(width, height)];
        compute(grey, width, height, out, 0);
        return out;
    }

    /** Writes the descriptor of a row-major grey image into {@code out} from {@code offset}. */
    public static void compute(float[] grey, int width, int height, float[] out, int offset) {
        if (grey.length < width * height) {
            throw new IllegalArgumentException("need " + width * height + " values, got " + grey.length);
        }
        int cx = width / CELL;
        int cy = height / CELL;
        float[] hist = new float[cx * cy * ORIENTATIONS];
        cellHistograms(grey, width, height, cx, cy, hist);
        normaliseBlocks(hist, cx, cy, out, offset);
    }

    /** Per-cell orientation histograms ({@code [cy][cx][9]}), as skimage's {@code hog_histograms}. */
    static void cellHistograms(float[] g, int w, int h, int cx, int cy, float[] hist) {
        for (int cr = 0; cr < cy; cr++) {
            for (int cc = 0; cc < cx; cc++) {
                int base = (cr * cx + cc) * ORIENTATIONS;
                // skimage accumulates in float32, row-major inside the cell, one accumulator per bin
                for (int y = cr * CELL; y < cr * CELL + CELL; y++) {
                    boolean rowEdge = y == 0 || y == h - 1;
                    int row = y * w;
                    for (int x = cc * CELL; x < cc * CELL + CELL; x++) {
                        // float32 differences, as skimage computes them on a float32 image
                        float gy = rowEdge ? 0f : g[row + w + x] - g[row - w + x];
                        float gx = x == 0 || x == w - 1 ? 0f : g[row + x + 1] - g[row + x - 1];
                        double dx = gx;
                        double dy = gy;
                        double mag = Math.sqrt(dx * dx + dy * dy);
                        if (mag == 0) {
                            continue; // adds nothing to any bin
                        }
                        int bin = bin(dx, dy);
                        hist[base + bin] = (float) (hist[base + bin] + mag);
                    }
                }
                for (int o = 0; o < ORIENTATIONS; o++) {
                    hist[base + o] = hist[base + o] / (CELL * CELL);
                }
            }
        }
    }

    /**
     * Bin of the unsigned orientation {@code atan2(dy, dx) mod 180} (degrees), without trigonometry:
     * folded into the upper half plane ({@code y > 0}), the angle is at least a boundary {@code b} exactly
     * when {@code x <= y cot(b)}.
     */
    static int bin(double dx, double dy) {
        if (dy == 0) {
            return 0; // 0 or 180 degrees, both 0 modulo 180
        }
        double x = dy > 0 ? dx : -dx;
        double y = Math.abs(dy);
        return (x <= y * COT1 ? 1 : 0) + (x <= y * COT2 ? 1 : 0) + (x <= y * COT3 ? 1 : 0) + (x <= y * COT4 ? 1 : 0)
                + (x <= y * COT5 ? 1 : 0) + (x <= y * COT6 ? 1 : 0) + (x <= y * COT7 ? 1 : 0)
                + (x <= y * COT8 ? 1 : 0);
    }

    private static void normaliseBlocks(float[] hist, int cx, int cy, float[] out, int offset) {
        int bx = cx - BLOCK + 1;
        int by = cy - BLOCK + 1;
        int per = BLOCK * BLOCK * ORIENTATIONS;
        double[] block = new double[per];
        int o = offset;
        for (int br = 0; br < by; br++) {
            for (int bc = 0; bc < bx; bc++) {
                int i = 0;
                double ss = 0;
                for (int r = br; r < br + BLOCK; r++) {
                    for (int c = bc; c < bc + BLOCK; c++) {
                        int base = (r * cx + c) * ORIENTATIONS;
                        for (int k = 0; k < ORIENTATIONS; k++) {
                            double v = hist[base + k];
                            block[i++] = v;
                            ss += v * v;
                        }
                    }
                }
                double inv = 1 / Math.sqrt(ss + EPS2);
                double ss2 = 0;
                for (int k = 0; k < per; k++) {
                    double v = Math.min(block[k] * inv, CLIP);
                    block[k] = v;
                    ss2 += v * v;
                }
                double inv2 = 1 / Math.sqrt(ss2 + EPS2);
                for (int k = 0; k < per; k++) {
                    out[o++] = (float) (block[k] * inv2);
                }
            }
        }
    }
}
