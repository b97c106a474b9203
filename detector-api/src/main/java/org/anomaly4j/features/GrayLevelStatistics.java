package org.anomaly4j.features;

/**
 * Classical gray-level statistics of a grey image with values in [0, 1], {@value #LENGTH} values in
 * this order:
 *
 * <ol>
 *   <li>first-order statistics: mean, standard deviation (population), skewness
 *       ({@code m3 / m2^1.5}) and excess kurtosis ({@code m4 / m2^2 - 3}), as
 *       {@code scipy.stats.skew}/{@code kurtosis} with their defaults (both 0 for a constant image);</li>
 *   <li>a {@value #LEVELS}-bin intensity histogram (fractions summing to 1) of the quantised image
 *       {@code q = min(15, floor(16 v))} (values below 0 count as 0);</li>
 *   <li>Haralick texture features of the gray-level co-occurrence matrix of {@code q}, as
 *       {@code skimage.feature.graycomatrix(q, distances=[1], angles=[0, pi/4, pi/2, 3pi/4],
 *       levels=16, symmetric=True, normed=True)} then {@code graycoprops}: contrast (4 angles),
 *       homogeneity (4), energy (4), correlation (4; 1 where a marginal is constant).</li>
 * </ol>
 *
 * Static and thread-safe.
 */
public final class GrayLevelStatistics {
    /** Quantisation levels of the histogram and the co-occurrence matrix. */
    public static final int LEVELS = 16;
    /** Number of angles (0, 45, 90, 135 degrees at distance 1). */
    public static final int ANGLES = 4;
    /** Values produced. */
    public static final int LENGTH = 4 + LEVELS + 4 * ANGLES;
    // (row, column) offsets of the four angles, as skimage rounds (sin, cos) * distance:
    // 0: (0, 1), pi/4: (1, 1), pi/2: (1, 0), 3pi/4: (1, -1)

    private GrayLevelStatistics() {
    }

    /** The statistics of a row-major grey image. */
    public static float[] compute(float[] grey, int width, int height) {
        float[] out = new float[LENGTH];
        compute(grey, width, height, out, 0);
        return out;
    }

    /** Writes the statistics of a row-major grey image into {@code out} from {@code offset}. */
    public static void compute(float[] grey, int width, int height, float[] out, int offset) {
        int n = width * height;
        if (grey.length < n || n == 0) {
            throw new IllegalArgumentException("need " + n + " > 0 values, got " + grey.length);
        }
        double sum = 0;
        byte[] q = new byte[n];
        int[] hist = new int[LEVELS];
        for (int i = 0; i < n; i++) {
            float v = grey[i];
            sum += v;
            int l = quantise(v);
            q[i] = (byte) l;
            hist[l]++;
        }
        double mean = sum / n;
        double m2 = 0;
        double m3 = 0;
        double m4 = 0;
        for (int i = 0; i < n; i++) {
            double d = grey[i] - mean;
            double d2 = d * d;
            m2 += d2;
            m3 += d2 * d;
            m4 += d2 * d2;
        }
        m2 /= n;
        m3 /= n;
        m4 /= n;
        int o = offset;
        out[o++] = (float) mean;
        out[o++] = (float) Math.sqrt(m2);
        boolean flat = m2 <= 1e-14 * Math.max(1, mean * mean);
        out[o++] = flat ? 0f : (float) (m3 / Math.pow(m2, 1.5));
        out[o++] = flat ? 0f : (float) (m4 / (m2 * m2) - 3);
        for (int l = 0; l < LEVELS; l++) {
            out[o++] = (float) ((double) hist[l] / n);
        }
        double[][] props = new double[4][ANGLES];
        int[][] counts = new int[ANGLES][LEVELS * LEVELS];
        int[] c0 = counts[0]; // (0, +1)
        int[] c45 = counts[1]; // (+1, +1)
        int[] c90 = counts[2]; // (+1, 0)
        int[] c135 = counts[3]; // (+1, -1)
        for (int r = 0; r < height; r++) {
            int row = r * width;
            boolean below = r + 1 < height;
            for (int c = 0; c < width; c++) {
                int i = q[row + c] * LEVELS;
                if (c + 1 < width) {
                    c0[i + q[row + c + 1]]++;
                }
                if (below) {
                    int next = row + width + c;
                    c90[i + q[next]]++;
                    if (c + 1 < width) {
                        c45[i + q[next + 1]]++;
                    }
                    if (c > 0) {
                        c135[i + q[next - 1]]++;
                    }
                }
            }
        }
        for (int a = 0; a < ANGLES; a++) {
            glcmProps(counts[a], props, a);
        }
        for (int p = 0; p < 4; p++) {
            for (int a = 0; a < ANGLES; a++) {
                out[o++] = (float) props[p][a];
            }
        }
    }

    static int quantise(float v) {
        int l = (int) (v * LEVELS); // truncation = floor for v >= 0; negatives become 0
        return l < 0 ? 0 : Math.min(l, LEVELS - 1);
    }

    /** Contrast, homogeneity, energy, correlation of the symmetric, normalised matrix of {@code counts}. */
    private static void glcmProps(int[] counts, double[][] props, int a) {
        double total = 0;
        double[] p = new double[LEVELS * LEVELS];
        for (int i = 0; i < LEVELS; i++) {
            for (int j = 0; j < LEVELS; j++) {
                p[i * LEVELS + j] = counts[i * LEVELS + j] + counts[j * LEVELS + i];
                total += p[i * LEVELS + j];
            }
        }
        if (total == 0) {
            total = 1; // an image one pixel wide or high has no pairs at some angles
        }
        double contrast = 0;
        double homogeneity = 0;
        double asm = 0;
        double mi = 0;
        double mj = 0;
        for (int i = 0; i < LEVELS; i++) {
            for (int j = 0; j < LEVELS; j++) {
                double v = p[i * LEVELS + j] / total;
                p[i * LEVELS + j] = v;
                int d = i - j;
                contrast += v * d * d;
                homogeneity += v / (1.0 + d * d);
                asm += v * v;
                mi += i * v;
                mj += j * v;
            }
        }
        double vi = 0;
        double vj = 0;
        double cov = 0;
        for (int i = 0; i < LEVELS; i++) {
            for (int j = 0; j < LEVELS; j++) {
                double v = p[i * LEVELS + j];
                vi += v * (i - mi) * (i - mi);
                vj += v * (j - mj) * (j - mj);
                cov += v * (i - mi) * (j - mj);
            }
        }
        double si = Math.sqrt(vi);
        double sj = Math.sqrt(vj);
        props[0][a] = contrast;
        props[1][a] = homogeneity;
        props[2][a] = Math.sqrt(asm);
        props[3][a] = si < 1e-15 || sj < 1e-15 ? 1 : cov / (si * sj);
    }
}
