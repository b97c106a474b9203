package org.anomaly4j.selfsupervised;

import java.util.Random;

/** Seeded k-means (k-means++ initialisation, Lloyd iterations) on row-major float rows. */
final class KMeans {
    private KMeans() {
    }

    /** Cluster index of each of the {@code n} rows of dimension {@code d}. */
    static int[] cluster(float[] rows, int n, int d, int k, long seed) {
        int[] assign = new int[n];
        if (k <= 1) {
            return assign;
        }
        Random r = new Random(seed);
        double[][] centres = new double[k][d];
        int first = r.nextInt(n);
        for (int j = 0; j < d; j++) {
            centres[0][j] = rows[first * d + j];
        }
        double[] dist = new double[n];
        java.util.Arrays.fill(dist, Double.POSITIVE_INFINITY);
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                dist[i] = Math.min(dist[i], sq(rows, i, d, centres[c - 1]));
                total += dist[i];
            }
            double u = r.nextDouble() * total;
            int pick = n - 1;
            for (int i = 0; i < n; i++) {
                u -= dist[i];
                if (u <= 0) {
                    pick = i;
                    break;
                }
            }
            for (int j = 0; j < d; j++) {
                centres[c][j] = rows[pick * d + j];
            }
        }
        for (int it = 0; it < 100; it++) {
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                int best = 0;
                double bd = Double.POSITIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double v = sq(rows, i, d, centres[c]);
                    if (v < bd) {
                        bd = v;
                        best = c;
                    }
                }
                if (assign[i] != best || it == 0) {
                    changed |= assign[i] != best;
                    assign[i] = best;
                }
            }
            if (!changed && it > 0) {
                break;
            }
            double[][] sum = new double[k][d];
            int[] count = new int[k];
            for (int i = 0; i < n; i++) {
                count[assign[i]]++;
                for (int j = 0; j < d; j++) {
                    sum[assign[i]][j] += rows[i * d + j];
                }
            }
            for (int c = 0; c < k; c++) {
                if (count[c] > 0) {
                    for (int j = 0; j < d; j++) {
                        centres[c][j] = sum[c][j] / count[c];
                    }
                }
            }
        }
        return assign;
    }

    private static double sq(float[] rows, int i, int d, double[] c) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            double v = rows[i * d + j] - c[j];
            s += v * v;
        }
        return s;
    }
}
