package org.anomaly4j.selfsupervised;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;

/**
 * The composed transformations a {@link TransformClassifier} learns to recognise: every combination of
 * a flip (off, on), a translation ({@code dx, dy} in {0, -shift, +shift}) and a rotation (quarter
 * turns), in the order of Golan and El-Yaniv's {@code itertools.product} (flip, tx, ty, rotation), so
 * that the default 2 x 3 x 3 x 4 set is their 72. With joint labels there is one head of T classes;
 * with separate labels one head per varying factor (rotation, tx, ty, flip).
 */
final class TransformSet {
    private final int[] flip;
    private final int[] dx;
    private final int[] dy;
    private final int[] rot;
    /** label[h][t]. */
    private final int[][] labels;
    private final int[] classes;

    private TransformSet(int[] flip, int[] dx, int[] dy, int[] rot, int[][] labels, int[] classes) {
        this.flip = flip;
        this.dx = dx;
        this.dy = dy;
        this.rot = rot;
        this.labels = labels;
        this.classes = classes;
    }

    static TransformSet of(TransformConfig c) {
        return of(c.flip(), c.shift(), c.rotations(), c.separateHeads());
    }

    static TransformSet of(boolean withFlip, int shift, int rotations, boolean separate) {
        int nf = withFlip ? 2 : 1;
        int[] shifts = shift > 0 ? new int[] {0, -shift, shift} : new int[] {0};
        int ns = shifts.length;
        int step = 4 / rotations;
        int n = nf * ns * ns * rotations;
        int[] f = new int[n];
        int[] x = new int[n];
        int[] y = new int[n];
        int[] r = new int[n];
        int[][] factor = new int[4][n]; // rotation, tx, ty, flip indices
        int t = 0;
        for (int a = 0; a < nf; a++) {
            for (int i = 0; i < ns; i++) {
                for (int j = 0; j < ns; j++) {
                    for (int k = 0; k < rotations; k++) {
                        f[t] = a;
                        x[t] = shifts[i];
                        y[t] = shifts[j];
                        r[t] = k * step;
                        factor[0][t] = k;
                        factor[1][t] = i;
                        factor[2][t] = j;
                        factor[3][t] = a;
                        t++;
                    }
                }
            }
        }
        List<int[]> labels = new ArrayList<>();
        List<Integer> classes = new ArrayList<>();
        if (!separate) {
            int[] joint = new int[n];
            for (int i = 0; i < n; i++) {
                joint[i] = i;
            }
            labels.add(joint);
            classes.add(n);
        } else {
            int[] sizes = {rotations, ns, ns, nf};
            for (int h = 0; h < 4; h++) {
                if (sizes[h] > 1) {
                    labels.add(factor[h]);
                    classes.add(sizes[h]);
                }
            }
        }
        return new TransformSet(f, x, y, r, labels.toArray(new int[0][]),
                classes.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Number of transformations T. */
    int size() {
        return flip.length;
    }

    /** Number of classifier heads. */
    int heads() {
        return classes.length;
    }

    /** Classes of head {@code h}. */
    int classes(int h) {
        return classes[h];
    }

    /** Sum of all heads' classes. */
    int totalClasses() {
        int s = 0;
        for (int c : classes) {
            s += c;
        }
        return s;
    }

    /** The label of transformation {@code t} for head {@code h}. */
    int label(int h, int t) {
        return labels[h][t];
    }

    /** Labels of head {@code h} for transformations {@code t} (int64 for the loss). */
    long[] labels(int h, int[] t) {
        long[] out = new long[t.length];
        for (int i = 0; i < t.length; i++) {
            out[i] = labels[h][t[i]];
        }
        return out;
    }

    /** Applies transformation {@code t[i]} to sample i of {@code x} (values in [0, 1]) and maps to [-1, 1]. */
    NDArray apply(NDArray x, int[] t, Augment.Padding padding) {
        int[] f = new int[t.length];
        int[] ax = new int[t.length];
        int[] ay = new int[t.length];
        int[] ar = new int[t.length];
        for (int i = 0; i < t.length; i++) {
            f[i] = flip[t[i]];
            ax[i] = dx[t[i]];
            ay[i] = dy[t[i]];
            ar[i] = rot[t[i]];
        }
        return Inputs.normalize(Augment.geometric(x, f, ax, ay, ar, padding));
    }
}
