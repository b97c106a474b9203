package org.anomaly4j.features;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.anomaly4j.api.AnomalyImage;

/** Small deterministic images for the feature tests (detector-api cannot use src-test-data). */
final class TestImages {
    private TestImages() {
    }

    /** {@code n} images of {@code w x h x c}: a bright disc of random place and size on a noisy background. */
    static List<AnomalyImage> blobs(int n, int w, int h, int c, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<AnomalyImage> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] v = new float[c * w * h];
            double cx = r.nextDouble(w);
            double cy = r.nextDouble(h);
            double rad = 1 + r.nextDouble(Math.max(w, h) / 3.0);
            for (int ch = 0; ch < c; ch++) {
                double level = 0.5 + 0.4 * r.nextDouble();
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        double val = (Math.hypot(x - cx, y - cy) < rad ? level : 0.1) + 0.1 * r.nextDouble();
                        v[(ch * h + y) * w + x] = (float) val;
                    }
                }
            }
            out.add(AnomalyImage.of(w, h, c, v));
        }
        return out;
    }

    /** Images whose pixels follow {@code rank} random patterns plus small noise: a spectrum with a clear gap. */
    static List<AnomalyImage> lowRank(int n, int w, int h, int rank, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = w * h;
        double[][] basis = new double[rank][d];
        for (double[] b : basis) {
            for (int j = 0; j < d; j++) {
                b[j] = r.nextDouble() - 0.5;
            }
        }
        List<AnomalyImage> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] v = new float[d];
            for (int k = 0; k < rank; k++) {
                double a = (r.nextDouble() - 0.5) * (rank - k);
                for (int j = 0; j < d; j++) {
                    v[j] += (float) (a * basis[k][j] * 0.05);
                }
            }
            for (int j = 0; j < d; j++) {
                v[j] += (float) (0.5 + 0.001 * (r.nextDouble() - 0.5));
            }
            out.add(AnomalyImage.of(w, h, 1, v));
        }
        return out;
    }

    /** Rows of every image's planar values. */
    static float[] rows(List<AnomalyImage> images) {
        int d = images.get(0).size();
        float[] out = new float[images.size() * d];
        for (int i = 0; i < images.size(); i++) {
            images.get(i).copyTo(out, i * d);
        }
        return out;
    }
}
