package org.anomaly4j.tensor;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A benchmark program (not a test): Mahalanobis scoring in plain Java versus DJL, for one Gaussian
 * (784 query rows x 128 dims) and for a PaDiM-shaped {@link GaussianField} (100 dims x 784 positions).
 * Run: {@code java -cp <test classpath> org.anomaly4j.tensor.MahalanobisBench}.
 */
public final class MahalanobisBench {
    private MahalanobisBench() {
    }

    public static void main(String[] args) {
        Random r = new Random(0);
        int d = 128;
        int n = 1000;
        int m = 784;
        float[] train = gaussianRows(r, n, d);
        float[] query = gaussianRows(r, m, d);
        long t = System.nanoTime();
        GaussianModel g = GaussianModel.fit(train, n, d, CovarianceEstimator.ledoitWolf());
        System.out.printf("GaussianModel fit n=%d d=%d (LW): %.1f ms%n", n, d, (System.nanoTime() - t) / 1e6);
        time("single Gaussian, Java   784x128", () -> g.squaredMahalanobis(query, m));
        try (NDManager nm = NDManager.newBaseManager("PyTorch")) {
            time("single Gaussian, DJL    784x128 (incl. upload+download)", () -> {
                try (NDManager call = nm.newSubManager()) {
                    return g.squaredMahalanobis(call.create(query, new Shape(m, d))).toFloatArray();
                }
            });
            int fd = 100;
            int p = 784;
            int images = 200;
            t = System.nanoTime();
            GaussianField field;
            try (GaussianField.Accumulator acc = GaussianField.accumulator(nm, fd, p)) {
                for (int b = 0; b < images; b += 32) {
                    int nb = Math.min(32, images - b);
                    try (NDArray x = nm.create(gaussianRows(r, nb * fd, p), new Shape(nb, fd, p))) {
                        acc.add(x);
                    }
                }
                long t1 = System.nanoTime();
                System.out.printf("GaussianField accumulate %d x [%d, %d]: %.1f ms%n", images, fd, p, (t1 - t) / 1e6);
                field = acc.fit(CovarianceEstimator.ridge(0.01));
                System.out.printf("GaussianField fit (784 inverses 100x100, float64): %.1f ms%n", (System.nanoTime() - t1) / 1e6);
            }
            float[][] prec = new float[p][];
            for (int i = 0; i < p; i++) {
                prec[i] = field.precision(i);
            }
            float[] means = field.means();
            for (int batch : new int[] {1, 8}) {
                float[] q = gaussianRows(r, batch * fd, p);
                time("PaDiM map, Java   " + batch + " x [100, 784]", () -> javaField(q, batch, fd, p, means, prec));
                time("PaDiM map, DJL    " + batch + " x [100, 784] (incl. upload+download)", () -> {
                    try (NDManager call = nm.newSubManager()) {
                        return field.squaredMahalanobis(call.create(q, new Shape(batch, fd, p))).toFloatArray();
                    }
                });
            }
            field.close();
        }
    }

    private static float[] javaField(float[] q, int batch, int d, int p, float[] means, float[][] prec) {
        float[] out = new float[batch * p];
        double[] diff = new double[d];
        for (int b = 0; b < batch; b++) {
            for (int pos = 0; pos < p; pos++) {
                for (int i = 0; i < d; i++) {
                    diff[i] = q[(b * d + i) * p + pos] - means[pos * d + i];
                }
                float[] pr = prec[pos];
                double acc = 0;
                for (int i = 0; i < d; i++) {
                    double row = 0;
                    for (int j = 0; j < d; j++) {
                        row += pr[i * d + j] * diff[j];
                    }
                    acc += diff[i] * row;
                }
                out[b * p + pos] = (float) acc;
            }
        }
        return out;
    }

    private static float[] gaussianRows(Random r, int n, int d) {
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    private static void time(String name, Supplier<Object> work) {
        for (int i = 0; i < 20; i++) {
            work.get();
        }
        double[] ms = new double[100];
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            work.get();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("%-60s median %.3f ms  (p10 %.3f, p90 %.3f)%n", name, ms[50], ms[10], ms[90]);
    }
}
