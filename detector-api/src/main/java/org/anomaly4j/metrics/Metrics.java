package org.anomaly4j.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.anomaly4j.api.Mask;
import org.anomaly4j.api.PixelMap;

/**
 * Detection and localisation metrics, computing the same numbers as scikit-learn 1.2 and the
 * reference implementation of the project ({@code reference/common.py}: {@code f1_max},
 * {@code aupro}, {@code evaluate}).
 *
 * <p>Conventions: higher score = more anomalous; {@code positive[i]} / a {@code true} mask pixel
 * marks an anomalous sample; a threshold {@code t} predicts anomalous where {@code score >= t};
 * equal scores form one threshold (ties are never split), and {@code -0.0} equals {@code 0.0}.
 *
 * <p>Image-level metrics ({@link #auroc}, {@link #averagePrecision}, {@link #f1Max}) sort the
 * normal and the anomalous scores separately and merge them; pixel-level metrics do the same on
 * primitive arrays (the normal pixels as order-preserving {@code int} keys sorted in place by a
 * range-bucketed radix pass, the anomalous ones as packed {@code long} keys carrying their
 * region), so tens of millions of pixels cost about 4 bytes each beyond the maps themselves, and
 * no boxing: about 2 s per metric for 29 M pixels on one core. AUROC counts are kept in exact
 * integer arithmetic (the Mann–Whitney statistic with ties counted one half), so the result is
 * the exact rational value rounded once.
 *
 * <p>Every method validates its input and throws {@link IllegalArgumentException} naming the
 * problem: mismatched lengths, non-finite scores, a single class where two are needed.
 */
public final class Metrics {
    /** The FPR limit of the AUPRO that MVTec AD and anomalib report: 30%. */
    public static final double DEFAULT_FPR_LIMIT = 0.3;

    private Metrics() {
    }

    // ------------------------------------------------------------------ image level

    /**
     * Area under the ROC curve, as scikit-learn's {@code roc_auc_score}: the probability that a
     * random anomalous sample scores above a random normal one, ties counting one half.
     *
     * @throws IllegalArgumentException on a length mismatch, a non-finite score, or when only one
     *                                  class is present
     */
    public static double auroc(double[] scores, boolean[] positive) {
        Curve c = Curve.of(scores, positive, true);
        return c.auroc();
    }

    /**
     * Average precision (the AUPR), as scikit-learn's {@code average_precision_score}:
     * {@code sum_k (R_k - R_{k-1}) P_k} over the distinct thresholds in decreasing order.
     *
     * @throws IllegalArgumentException on a length mismatch, a non-finite score, or when no sample
     *                                  is positive
     */
    public static double averagePrecision(double[] scores, boolean[] positive) {
        Curve c = Curve.of(scores, positive, false);
        double ap = 0;
        long prevTp = 0;
        for (int k = 0; k < c.size; k++) {
            long tp = c.tps[k];
            if (tp != prevTp) {
                double precision = (double) tp / (tp + c.fps[k]);
                ap += ((double) tp / c.positives - (double) prevTp / c.positives) * precision;
                prevTp = tp;
            }
        }
        return ap;
    }

    /**
     * The maximum F1 over all thresholds and its threshold, as the reference {@code f1_max}
     * (scikit-learn's {@code precision_recall_curve}, {@code f1 = 2pr / max(p + r, 1e-12)}).
     *
     * @throws IllegalArgumentException on a length mismatch, a non-finite score, or when no sample
     *                                  is positive
     */
    public static F1Max f1Max(double[] scores, boolean[] positive) {
        Curve c = Curve.of(scores, positive, false);
        double best = -1;
        double threshold = Double.NaN;
        // decreasing thresholds; ">=" keeps the lowest threshold among equal maxima (numpy argmax
        // over scikit-learn's increasing-threshold arrays)
        for (int k = 0; k < c.size; k++) {
            long tp = c.tps[k];
            double p = (double) tp / (tp + c.fps[k]);
            double r = (double) tp / c.positives;
            double f1 = 2 * p * r / Math.max(p + r, 1e-12);
            if (f1 >= best) {
                best = f1;
                threshold = c.thresholds[k];
            }
        }
        return new F1Max(best, threshold);
    }

    // ------------------------------------------------------------------ pixel level

    /**
     * Exact AUROC over every pixel of every image, as {@code roc_auc_score(masks.ravel(),
     * maps.ravel())}. {@code maps[i]} and {@code masks[i]} are the same image, any layout, equal
     * lengths.
     *
     * @throws IllegalArgumentException on mismatched sizes, a non-finite value, or when the masks
     *                                  hold only one class
     */
    public static double pixelAuroc(float[][] maps, boolean[][] masks) {
        checkPairs(maps, masks);
        for (int i = 0; i < maps.length; i++) {
            Objects.requireNonNull(maps[i], "maps[" + i + "]");
            Objects.requireNonNull(masks[i], "masks[" + i + "]");
            if (maps[i].length != masks[i].length) {
                throw new IllegalArgumentException("image " + i + ": map has " + maps[i].length
                        + " values but mask has " + masks[i].length);
            }
        }
        PixelData d = PixelData.build(maps, masks, null, null, false);
        d.requireBothClasses();
        AurocVisitor v = new AurocVisitor();
        d.sweep(v);
        return v.auroc(d.positives(), d.negatives());
    }

    /** {@link #pixelAuroc(float[][], boolean[][])} on maps and masks of equal sizes. */
    public static double pixelAuroc(List<PixelMap> maps, List<Mask> masks) {
        Arrays2 a = Arrays2.of(maps, masks);
        boolean[][] bits = new boolean[a.masks.length][];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = a.masks[i].toArray();
        }
        return pixelAuroc(a.maps, bits);
    }

    /**
     * AUPRO up to {@code fprLimit}, exactly as the reference {@code aupro}: 8-connected regions
     * of each mask; FPR over all ground-truth-normal pixels of all images; PRO = mean over all
     * regions of the fraction of the region at or above the threshold; an exact sweep over every
     * distinct score; the trapezoid area of PRO(FPR) on {@code [0, fprLimit]}, linearly
     * interpolated at the limit, divided by {@code fprLimit}.
     *
     * @param maps     one row-major map per image, {@code masks[i].width() * masks[i].height()}
     *                 values each
     * @param masks    the ground truth, one per map
     * @param fprLimit in (0, 1], usually {@link #DEFAULT_FPR_LIMIT}
     * @return the normalised area in [0,1]; NaN when no mask holds an anomalous pixel or no pixel
     *         is normal
     */
    public static double aupro(float[][] maps, Mask[] masks, double fprLimit) {
        checkFprLimit(fprLimit);
        PixelData d = PixelData.build(maps, masks);
        if (d.regions == 0 || d.negatives() == 0) {
            return Double.NaN;
        }
        ProVisitor v = new ProVisitor(d, fprLimit);
        d.sweep(v);
        return v.area / fprLimit;
    }

    /** {@link #aupro(float[][], Mask[], double)} on maps and masks of equal sizes. */
    public static double aupro(List<PixelMap> maps, List<Mask> masks, double fprLimit) {
        Arrays2 a = Arrays2.of(maps, masks);
        return aupro(a.maps, a.masks, fprLimit);
    }

    /**
     * The exact PRO curve up to {@code fprLimit} (one point per distinct score, plus the first
     * point beyond the limit); {@link ProCurve#normalizedArea} of it equals {@link #aupro}. The
     * curve can hold as many points as there are distinct scores below the limit: for large test
     * sets prefer {@link #aupro}, which streams.
     *
     * @return the curve; empty (no point) when no mask holds an anomalous pixel or no pixel is normal
     */
    public static ProCurve proCurve(float[][] maps, Mask[] masks, double fprLimit) {
        checkFprLimit(fprLimit);
        PixelData d = PixelData.build(maps, masks);
        if (d.regions == 0 || d.negatives() == 0) {
            return new ProCurve(new double[0], new double[0], new double[0], d.regions);
        }
        CurveVisitor v = new CurveVisitor(d, fprLimit);
        d.sweep(v);
        return new ProCurve(Arrays.copyOf(v.fpr, v.n), Arrays.copyOf(v.pro, v.n), Arrays.copyOf(v.thr, v.n),
                d.regions);
    }

    /**
     * Pixel AUROC and AUPRO from a single sort of all pixels: what an evaluation wants. Unlike
     * {@link #pixelAuroc} this does not throw when the masks hold only one class; the undefined
     * metric is NaN instead.
     */
    public static PixelMetrics pixelMetrics(float[][] maps, Mask[] masks, double fprLimit) {
        checkFprLimit(fprLimit);
        PixelData d = PixelData.build(maps, masks);
        boolean both = d.positives() > 0 && d.negatives() > 0;
        AurocVisitor roc = new AurocVisitor();
        ProVisitor pro = d.regions > 0 && d.negatives() > 0 ? new ProVisitor(d, fprLimit) : null;
        if (both) {
            d.sweep((t, fp, tp, proSum) -> {
                roc.group(t, fp, tp, proSum);
                if (pro != null && !pro.done) {
                    pro.group(t, fp, tp, proSum);
                }
                return true;
            });
        }
        return new PixelMetrics(both ? roc.auroc(d.positives(), d.negatives()) : Double.NaN,
                pro != null && both ? pro.area / fprLimit : Double.NaN, fprLimit,
                d.positives() + d.negatives(), d.positives(), d.regions);
    }

    /** {@link #pixelMetrics(float[][], Mask[], double)} on maps and masks of equal sizes. */
    public static PixelMetrics pixelMetrics(List<PixelMap> maps, List<Mask> masks, double fprLimit) {
        Arrays2 a = Arrays2.of(maps, masks);
        return pixelMetrics(a.maps, a.masks, fprLimit);
    }

    /**
     * Labels the 8-connected components of a row-major mask (as {@code skimage.measure.label(mask,
     * connectivity=2)}): background 0, regions 1..k in raster order of their first pixel.
     *
     * @param labels receives the labels, at least {@code width * height} long
     * @return the number of regions {@code k}
     */
    public static int labelRegions(boolean[] mask, int width, int height, int[] labels) {
        if (mask.length != width * height || labels.length < mask.length) {
            throw new IllegalArgumentException("mask of " + width + "x" + height + " needs " + width * height
                    + " bits and as many labels, got " + mask.length + " and " + labels.length);
        }
        return label(mask, width, height, labels, new int[mask.length], null);
    }

    // ------------------------------------------------------------------ internals

    static void checkFprLimit(double fprLimit) {
        if (!(fprLimit > 0 && fprLimit <= 1)) {
            throw new IllegalArgumentException("fprLimit must be in (0, 1], got " + fprLimit);
        }
    }

    private static void checkPairs(Object[] maps, Object[] masks) {
        Objects.requireNonNull(maps, "maps");
        Objects.requireNonNull(masks, "masks");
        if (maps.length != masks.length) {
            throw new IllegalArgumentException(maps.length + " maps but " + masks.length + " masks");
        }
        if (maps.length == 0) {
            throw new IllegalArgumentException("no maps to evaluate");
        }
    }

    /** float -> int whose signed order is the float's order (NaN excluded, -0 normalised first). */
    private static int sortableKey(float f) {
        int bits = Float.floatToRawIntBits(f);
        return bits ^ ((bits >> 31) & 0x7FFFFFFF);
    }

    private static float fromKey(int key) {
        return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7FFFFFFF));
    }

    /** 8-connected flood fill; labels 1..k; region sizes appended to {@code sizes} when given. */
    private static int label(boolean[] mask, int w, int h, int[] labels, int[] queue, IntList sizes) {
        int n = w * h;
        Arrays.fill(labels, 0, n, 0);
        int next = 0;
        for (int start = 0; start < n; start++) {
            if (!mask[start] || labels[start] != 0) {
                continue;
            }
            int id = ++next;
            int head = 0;
            int tail = 0;
            queue[tail++] = start;
            labels[start] = id;
            while (head < tail) {
                int p = queue[head++];
                int y = p / w;
                int x = p - y * w;
                int y0 = Math.max(0, y - 1);
                int y1 = Math.min(h - 1, y + 1);
                int x0 = Math.max(0, x - 1);
                int x1 = Math.min(w - 1, x + 1);
                for (int yy = y0; yy <= y1; yy++) {
                    int row = yy * w;
                    for (int xx = x0; xx <= x1; xx++) {
                        int q = row + xx;
                        if (mask[q] && labels[q] == 0) {
                            labels[q] = id;
                            queue[tail++] = q;
                        }
                    }
                }
            }
            if (sizes != null) {
                sizes.add(tail);
            }
        }
        return next;
    }

    private static final class IntList {
        int[] a = new int[64];
        int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }
    }

    /** Maps and masks from lists, sizes checked. */
    private record Arrays2(float[][] maps, Mask[] masks) {
        static Arrays2 of(List<PixelMap> maps, List<Mask> masks) {
            Objects.requireNonNull(maps, "maps");
            Objects.requireNonNull(masks, "masks");
            if (maps.size() != masks.size()) {
                throw new IllegalArgumentException(maps.size() + " maps but " + masks.size() + " masks");
            }
            float[][] m = new float[maps.size()][];
            Mask[] k = new Mask[masks.size()];
            for (int i = 0; i < m.length; i++) {
                PixelMap pm = Objects.requireNonNull(maps.get(i), "maps[" + i + "]");
                Mask mk = Objects.requireNonNull(masks.get(i), "masks[" + i + "]");
                if (pm.width() != mk.width() || pm.height() != mk.height()) {
                    throw new IllegalArgumentException("image " + i + ": map " + pm.width() + "x" + pm.height()
                            + " but mask " + mk.width() + "x" + mk.height());
                }
                m[i] = pm.toArray();
                k[i] = mk;
            }
            return new Arrays2(m, k);
        }
    }

    /** Receives the end of every run of equal scores, in decreasing score order. */
    @FunctionalInterface
    private interface GroupVisitor {
        /**
         * @param threshold the run's score
         * @param fp        normal pixels with score >= threshold
         * @param tp        anomalous pixels with score >= threshold
         * @param proSum    sum over anomalous pixels with score >= threshold of 1 / region size
         * @return false to stop the sweep
         */
        boolean group(float threshold, long fp, long tp, double proSum);
    }

    /** The pixels split by class and sorted: normals as floats, anomalous ones packed with their region. */
    private static final class PixelData {
        final int[] neg; // sortable keys of the normal pixels' scores, ascending
        final long[] pos; // ascending; (sortableKey << 32) | global region id (1-based, 0 = none)
        final double[] invSize; // 1 / size of region r at index r; null without labelling
        final int regions;

        private PixelData(int[] neg, long[] pos, double[] invSize, int regions) {
            this.neg = neg;
            this.pos = pos;
            this.invSize = invSize;
            this.regions = regions;
        }

        long positives() {
            return pos.length;
        }

        long negatives() {
            return neg.length;
        }

        void requireBothClasses() {
            if (pos.length == 0 || neg.length == 0) {
                throw new IllegalArgumentException("AUROC needs both classes, but the masks hold "
                        + pos.length + " anomalous and " + neg.length + " normal pixels");
            }
        }

        /** From maps and Mask objects (sizes from the masks), with region labelling. */
        static PixelData build(float[][] maps, Mask[] masks) {
            checkPairs(maps, masks);
            boolean[][] bits = new boolean[masks.length][];
            int[] widths = new int[masks.length];
            int[] heights = new int[masks.length];
            for (int i = 0; i < masks.length; i++) {
                Mask m = Objects.requireNonNull(masks[i], "masks[" + i + "]");
                Objects.requireNonNull(maps[i], "maps[" + i + "]");
                if (maps[i].length != m.width() * m.height()) {
                    throw new IllegalArgumentException("image " + i + ": map has " + maps[i].length
                            + " values but mask is " + m.width() + "x" + m.height() + " = "
                            + (long) m.width() * m.height() + " pixels");
                }
                widths[i] = m.width();
                heights[i] = m.height();
            }
            // toArray copies one mask at a time, inside build
            return build(maps, null, masks, new int[][] {widths, heights}, true);
        }

        /**
         * @param bits   masks as booleans, or null to take them from {@code masks}
         * @param masks  Mask objects (used when {@code bits} is null)
         * @param sizes  {widths, heights} when labelling
         */
        static PixelData build(float[][] maps, boolean[][] bits, Mask[] masks, int[][] sizes, boolean labelRegions) {
            int n = maps.length;
            long nPos = 0;
            long nAll = 0;
            for (int i = 0; i < n; i++) {
                boolean[] b = bits != null ? bits[i] : null;
                if (b != null) {
                    for (boolean v : b) {
                        if (v) {
                            nPos++;
                        }
                    }
                } else {
                    nPos += masks[i].count();
                }
                nAll += maps[i].length;
            }
            long nNeg = nAll - nPos;
            if (nNeg > Integer.MAX_VALUE - 16 || nPos > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("too many pixels for one evaluation: " + nAll);
            }
            int[] neg = new int[(int) nNeg];
            long[] pos = new long[(int) nPos];
            IntList regionSizes = new IntList();
            regionSizes.add(0); // region 0 = none
            int[] labels = null;
            int[] queue = null;
            int ni = 0;
            int pi = 0;
            int regionBase = 0;
            for (int i = 0; i < n; i++) {
                float[] map = maps[i];
                boolean[] b = bits != null ? bits[i] : masks[i].toArray();
                int[] lab = null;
                if (labelRegions) {
                    int w = sizes[0][i];
                    int h = sizes[1][i];
                    if (labels == null || labels.length < map.length) {
                        labels = new int[map.length];
                        queue = new int[map.length];
                    }
                    int k = label(b, w, h, labels, queue, regionSizes);
                    lab = labels;
                    if ((long) regionBase + k > Integer.MAX_VALUE - 1) {
                        throw new IllegalArgumentException("too many regions: " + ((long) regionBase + k));
                    }
                }
                for (int p = 0; p < map.length; p++) {
                    float v = map[p];
                    if (!Float.isFinite(v)) {
                        throw new IllegalArgumentException("image " + i + ": map value at index " + p
                                + " is not finite: " + v);
                    }
                    int key = sortableKey(v + 0.0f); // -0.0 + 0.0 = 0.0: both zeros share one key
                    if (b[p]) {
                        int region = lab == null ? 0 : regionBase + lab[p];
                        pos[pi++] = ((long) key << 32) | (region & 0xFFFFFFFFL);
                    } else {
                        neg[ni++] = key;
                    }
                }
                if (labelRegions) {
                    regionBase = regionSizes.n - 1;
                }
            }
            KeySort.sort(neg);
            Arrays.sort(pos);
            double[] inv = null;
            if (labelRegions) {
                inv = new double[regionSizes.n];
                for (int r = 1; r < regionSizes.n; r++) {
                    inv[r] = 1.0 / regionSizes.a[r];
                }
            }
            return new PixelData(neg, pos, inv, regionSizes.n - 1);
        }

        /** Walks both sorted arrays from the top, one call per distinct score. */
        void sweep(GroupVisitor v) {
            int i = neg.length - 1;
            int j = pos.length - 1;
            long fp = 0;
            long tp = 0;
            double proSum = 0;
            double[] inv = invSize;
            while (i >= 0 || j >= 0) {
                int key;
                if (j < 0) {
                    key = neg[i];
                } else {
                    int pk = (int) (pos[j] >> 32);
                    key = i < 0 ? pk : Math.max(pk, neg[i]);
                }
                while (i >= 0 && neg[i] == key) {
                    fp++;
                    i--;
                }
                while (j >= 0 && (int) (pos[j] >> 32) == key) {
                    if (inv != null) {
                        proSum += inv[(int) pos[j]];
                    }
                    tp++;
                    j--;
                }
                if (!v.group(fromKey(key), fp, tp, proSum)) {
                    return;
                }
            }
        }
    }

    /** Trapezoid area of the ROC in exact integer arithmetic (twice the area, in units of 1 x 1 count). */
    private static final class AurocVisitor implements GroupVisitor {
        long area2;
        long prevFp;
        long prevTp;

        @Override
        public boolean group(float threshold, long fp, long tp, double proSum) {
            area2 += (fp - prevFp) * (tp + prevTp);
            prevFp = fp;
            prevTp = tp;
            return true;
        }

        double auroc(long positives, long negatives) {
            return area2 / (2.0 * positives * negatives);
        }
    }

    /** Streams the PRO curve and integrates it up to the limit, as the reference. */
    private static final class ProVisitor implements GroupVisitor {
        final double nOk;
        final double nRegions;
        final double limit;
        double x0;
        double y0;
        double area;
        boolean done;

        ProVisitor(PixelData d, double limit) {
            this.nOk = d.negatives();
            this.nRegions = d.regions;
            this.limit = limit;
        }

        @Override
        public boolean group(float threshold, long fp, long tp, double proSum) {
            double x1 = fp / nOk;
            double y1 = proSum / nRegions;
            if (x1 <= limit) {
                area += (x1 - x0) * (y1 + y0) / 2.0;
                x0 = x1;
                y0 = y1;
                return true;
            }
            if (x0 < limit) {
                double yl = y0 + (y1 - y0) * (limit - x0) / (x1 - x0);
                area += (limit - x0) * (yl + y0) / 2.0;
            }
            done = true;
            return false;
        }
    }

    /** Collects the PRO curve up to the first point beyond the limit. */
    private static final class CurveVisitor implements GroupVisitor {
        final double nOk;
        final double nRegions;
        final double limit;
        double[] fpr = new double[256];
        double[] pro = new double[256];
        double[] thr = new double[256];
        int n = 1;

        CurveVisitor(PixelData d, double limit) {
            this.nOk = d.negatives();
            this.nRegions = d.regions;
            this.limit = limit;
            thr[0] = Double.POSITIVE_INFINITY;
        }

        @Override
        public boolean group(float threshold, long fp, long tp, double proSum) {
            if (n == fpr.length) {
                fpr = Arrays.copyOf(fpr, n * 2);
                pro = Arrays.copyOf(pro, n * 2);
                thr = Arrays.copyOf(thr, n * 2);
            }
            fpr[n] = fp / nOk;
            pro[n] = proSum / nRegions;
            thr[n] = threshold;
            n++;
            return fpr[n - 1] <= limit;
        }
    }

    /** Distinct thresholds in decreasing order with cumulative counts (scikit-learn's _binary_clf_curve). */
    private static final class Curve {
        final double[] thresholds;
        final long[] tps;
        final long[] fps;
        final int size;
        final long positives;
        final long negatives;

        private Curve(double[] thresholds, long[] tps, long[] fps, int size, long positives, long negatives) {
            this.thresholds = thresholds;
            this.tps = tps;
            this.fps = fps;
            this.size = size;
            this.positives = positives;
            this.negatives = negatives;
        }

        static Curve of(double[] scores, boolean[] positive, boolean needNegatives) {
            Objects.requireNonNull(scores, "scores");
            Objects.requireNonNull(positive, "positive");
            if (scores.length != positive.length) {
                throw new IllegalArgumentException(scores.length + " scores but " + positive.length + " labels");
            }
            int nPos = 0;
            for (int i = 0; i < scores.length; i++) {
                if (!Double.isFinite(scores[i])) {
                    throw new IllegalArgumentException("score at index " + i + " is not finite: " + scores[i]);
                }
                if (positive[i]) {
                    nPos++;
                }
            }
            int nNeg = scores.length - nPos;
            if (nPos == 0 || (needNegatives && nNeg == 0)) {
                throw new IllegalArgumentException("only one class is present (" + nPos + " positive, " + nNeg
                        + " negative of " + scores.length + "): the metric is undefined");
            }
            double[] pos = new double[nPos];
            double[] neg = new double[nNeg];
            for (int i = 0, a = 0, b = 0; i < scores.length; i++) {
                double v = scores[i] + 0.0; // -0.0 -> 0.0
                if (positive[i]) {
                    pos[a++] = v;
                } else {
                    neg[b++] = v;
                }
            }
            Arrays.sort(pos);
            Arrays.sort(neg);
            double[] thr = new double[scores.length];
            long[] tps = new long[scores.length];
            long[] fps = new long[scores.length];
            int i = nNeg - 1;
            int j = nPos - 1;
            long tp = 0;
            long fp = 0;
            int k = 0;
            while (i >= 0 || j >= 0) {
                double t = i < 0 ? pos[j] : j < 0 ? neg[i] : Math.max(pos[j], neg[i]);
                while (i >= 0 && neg[i] == t) {
                    fp++;
                    i--;
                }
                while (j >= 0 && pos[j] == t) {
                    tp++;
                    j--;
                }
                thr[k] = t;
                tps[k] = tp;
                fps[k] = fp;
                k++;
            }
            return new Curve(thr, tps, fps, k, nPos, nNeg);
        }

        double auroc() {
            long area2 = 0;
            long prevTp = 0;
            long prevFp = 0;
            for (int k = 0; k < size; k++) {
                area2 += (fps[k] - prevFp) * (tps[k] + prevTp);
                prevTp = tps[k];
                prevFp = fps[k];
            }
            return area2 / (2.0 * positives * negatives);
        }
    }
}
