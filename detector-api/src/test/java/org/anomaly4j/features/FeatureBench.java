package org.anomaly4j.features;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.tensor.Pca;

/**
 * Extraction speed on Fashion-MNIST-sized images (not a unit test; run by hand):
 * {@code java -cp ... org.anomaly4j.features.FeatureBench [n]}.
 */
public final class FeatureBench {
    private FeatureBench() {
    }

    /** Synthetic 28x28 grey images: a blob of random size and place on a noisy background. */
    static List<AnomalyImage> images(int n, int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<AnomalyImage> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] v = new float[size * size];
            double cx = r.nextDouble(size);
            double cy = r.nextDouble(size);
            double rad = 3 + r.nextDouble(size / 3.0);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double d = Math.hypot(x - cx, y - cy);
                    double val = (d < rad ? 0.8 : 0.1) + 0.1 * r.nextDouble();
                    v[y * size + x] = Math.round(val * 255) / 255f;
                }
            }
            out.add(AnomalyImage.of(size, size, 1, v));
        }
        return out;
    }

    static void profile(List<AnomalyImage> imgs) {
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime();
            List<float[]> greys = new ArrayList<>();
            for (AnomalyImage i : imgs) {
                greys.add(Resizer.resize(i, 64, 64));
            }
            long t1 = System.nanoTime();
            float[] out = new float[Hog.length(64, 64)];
            for (float[] g : greys) {
                Hog.compute(g, 64, 64, out, 0);
            }
            long t2 = System.nanoTime();
            float[] st = new float[GrayLevelStatistics.LENGTH];
            for (float[] g : greys) {
                GrayLevelStatistics.compute(g, 64, 64, st, 0);
            }
            long t3 = System.nanoTime();
            System.out.printf("resize %.1f ms, hog %.1f ms, stats %.1f ms (single thread, %d images)%n", (t1 - t0) / 1e6,
                    (t2 - t1) / 1e6, (t3 - t2) / 1e6, imgs.size());
        }
    }

    static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        List<AnomalyImage> imgs = images(n, 28, 1);
        if (args.length > 1 && args[1].equals("pca")) {
            int n6 = Math.min(6000, n);
            float[] rows = new float[n6 * 784];
            for (int i = 0; i < n6; i++) {
                imgs.get(i).copyTo(rows, i * 784);
            }
            for (int rep = 0; rep < 3; rep++) {
                long c0 = cpu();
                long t0 = System.nanoTime();
                Pca p = Pca.fit(rows, n6, 784, 50, false);
                long t1 = System.nanoTime();
                long c1 = cpu();
                p.transform(rows, n6);
                long t2 = System.nanoTime();
                long c2 = cpu();
                System.out.printf("Pca.fit %.1f ms (cpu %.1f), transform %.1f ms (cpu %.1f)%n", (t1 - t0) / 1e6,
                        (c1 - c0) / 1e6, (t2 - t1) / 1e6, (c2 - c1) / 1e6);
            }
            return;
        }
        if (args.length > 2 && args[1].equals("spec")) {
            List<AnomalyImage> some = imgs;
            for (int rep = 0; rep < 2; rep++) {
                long c0 = cpu();
                long t0 = System.nanoTime();
                try (FeatureExtractor e = FeatureSpec.parse(args[2]).fit(ImageSet.ofNormals("b", some.subList(0, 2)), 0,
                        ProgressListener.NONE)) {
                    long t1 = System.nanoTime();
                    float[] f = e.extractAll(some, ProgressListener.NONE);
                    long t2 = System.nanoTime();
                    System.out.printf("%s: fit %.1f ms, extract %d images %.1f ms wall, %.1f ms cpu (dim %d, %d)%n",
                            e.spec(), (t1 - t0) / 1e6, some.size(), (t2 - t1) / 1e6, (cpu() - c0) / 1e6,
                            e.dimension(), f.length);
                }
            }
            return;
        }
        if (args.length > 2 && args[1].equals("forward")) {
            try (org.anomaly4j.tensor.Backbone bb = org.anomaly4j.tensor.Backbones.parse(args[2], 0);
                    ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
                int size = Integer.parseInt(args[3]);
                for (int rep = 0; rep < 4; rep++) {
                    try (ai.djl.ndarray.NDManager sub = m.newSubManager()) {
                        ai.djl.ndarray.NDArray x = sub.randomNormal(new ai.djl.ndarray.types.Shape(n, 3, size, size));
                        long c0 = cpu();
                        long t0 = System.nanoTime();
                        bb.features(sub, x);
                        System.out.printf("forward %d x %d^2: %.1f ms wall, %.1f ms cpu%n", n, size,
                                (System.nanoTime() - t0) / 1e6, (cpu() - c0) / 1e6);
                    }
                }
            }
            return;
        }
        if (args.length > 1 && args[1].equals("profile")) {
            profile(imgs);
            return;
        }
        ImageSet train6k = ImageSet.ofNormals("bench", imgs.subList(0, Math.min(6000, n)));
        for (int rep = 0; rep < 3; rep++) {
            for (String s : new String[] {"pixels", "hog"}) {
                FeatureExtractor e = FeatureSpec.parse(s).fit(train6k, 0, ProgressListener.NONE);
                long c0 = cpu();
                long t0 = System.nanoTime();
                float[] f = e.extractAll(imgs, ProgressListener.NONE);
                long t1 = System.nanoTime();
                System.out.printf("%-12s extract %d images: %7.1f ms wall, %7.1f ms cpu (dim %d, %d values)%n", s, n,
                        (t1 - t0) / 1e6, (cpu() - c0) / 1e6, e.dimension(), f.length);
            }
            long c0 = cpu();
            long t0 = System.nanoTime();
            FeatureExtractor p = FeatureSpec.parse("pixels:pca=50").fit(train6k, 0, ProgressListener.NONE);
            long t1 = System.nanoTime();
            long c1 = cpu();
            float[] z = p.extractAll(train6k.images(), ProgressListener.NONE);
            long t2 = System.nanoTime();
            float[] z2 = p.extractAll(imgs, ProgressListener.NONE);
            long t3 = System.nanoTime();
            System.out.printf("pixels:pca=50 fit on %d: %7.1f ms wall %7.1f ms cpu, extract train (cached) %5.1f ms,"
                    + " extract %d: %7.1f ms wall %7.1f ms cpu (dim %d, %d %d)%n", train6k.size(), (t1 - t0) / 1e6,
                    (c1 - c0) / 1e6, (t2 - t1) / 1e6, n, (t3 - t2) / 1e6, (cpu() - c1) / 1e6, p.dimension(),
                    z.length, z2.length);
        }
    }
}
