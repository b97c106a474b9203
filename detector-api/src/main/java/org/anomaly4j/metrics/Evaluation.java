package org.anomaly4j.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.Detector;
import org.anomaly4j.api.ImageScore;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.Label;
import org.anomaly4j.api.LabeledImage;
import org.anomaly4j.api.Mask;
import org.anomaly4j.api.PixelMap;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.api.Provenance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates a fitted detector on a labelled test set: scores every image (progress stage
 * {@code "score"}), times the scoring, and computes the image metrics (AUROC, AUPR, F1-max),
 * the per-defect-type AUROC (normal test images against each type alone, as the reference's
 * {@code image_auroc_per_type}) and, when the detector produces maps and the test set has masks,
 * the pixel metrics (pixel AUROC, AUPRO up to {@link Metrics#DEFAULT_FPR_LIMIT}).
 *
 * <p><b>Pixel metrics and resolution.</b> Maps come back at the input image's resolution, the
 * same as its mask. To bound memory, maps and masks whose longer side exceeds
 * {@link #MAX_PIXEL_SIDE} are brought down to that size first (maps with {@link PixelMap#resize},
 * antialiased bilinear; masks with {@link Mask#resize}, nearest neighbour); smaller ones are used
 * as they are, so on test sets of 256 px or less (MVTec at 224, most of MTD) the numbers are
 * exactly those of the full-resolution maps. The report's extra values say whether any image was
 * downscaled ({@code pixel_downscaled}). A map of another size than its mask is resized to the
 * mask's size.
 *
 * <p>Which images count for pixel metrics: all of them, a normal image without a mask counting
 * as all-normal pixels. Pixel metrics are skipped (NaN in the report) when the detector gives no
 * maps or an anomalous image has no mask; AUPRO is NaN when no mask holds an anomalous pixel.
 *
 * <p>The test set must hold both normal and anomalous images and no image labelled
 * {@link Label#UNKNOWN}. Scoring is sequential, in test-set order, on the calling thread.
 */
public final class Evaluation {
    /** Longer side, in pixels, above which maps and masks are downscaled for pixel metrics. */
    public static final int MAX_PIXEL_SIDE = 256;

    /** Test images handed to {@link Detector#scoreAll} at once (batched detectors use the batches). */
    static final int SCORE_CHUNK = 64;

    private static final Logger LOG = LoggerFactory.getLogger(Evaluation.class);

    private Evaluation() {
    }

    /**
     * Evaluates with the test set's name as dataset name, the training-set size from the
     * detector's provenance and an unknown fit time, without progress reporting.
     */
    public static EvaluationReport run(Detector detector, ImageSet test) {
        Objects.requireNonNull(detector, "detector");
        Provenance p = detector.provenance();
        return run(detector, test, test.name(), Double.NaN, p == null ? -1 : p.trainImages(), ProgressListener.NONE);
    }

    /**
     * Evaluates and returns the report.
     *
     * @param datasetName the name written in the report
     * @param fitSeconds  how long fitting took (NaN when unknown)
     * @param trainImages how many images it was fitted on (-1 when unknown)
     * @param listener    receives {@code "score"} progress, one unit per test image
     */
    public static EvaluationReport run(Detector detector, ImageSet test, String datasetName, double fitSeconds,
            int trainImages, ProgressListener listener) {
        return evaluate(detector, test, datasetName, fitSeconds, trainImages, false, listener).report();
    }

    /**
     * Evaluates and returns the report with the per-image scores and, if {@code keepMaps}, the
     * anomaly maps at the input resolution (memory: one float per input pixel).
     */
    public static EvaluationResult evaluate(Detector detector, ImageSet test, String datasetName, double fitSeconds,
            int trainImages, boolean keepMaps, ProgressListener listener) {
        Objects.requireNonNull(detector, "detector");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(datasetName, "datasetName");
        ProgressListener progress = listener == null ? ProgressListener.NONE : listener;
        int n = test.size();
        int normals = 0;
        int anomalous = 0;
        for (LabeledImage item : test) {
            if (item.label() == Label.UNKNOWN) {
                throw new IllegalArgumentException("test image " + item.id() + " has no ground truth (label UNKNOWN)");
            }
            if (item.isAnomalous()) {
                anomalous++;
            } else {
                normals++;
            }
        }
        if (normals == 0 || anomalous == 0) {
            throw new IllegalArgumentException("test set '" + test.name() + "' needs both normal and anomalous images, has "
                    + normals + " normal and " + anomalous + " anomalous");
        }

        boolean pixels = detector.producesMaps();
        String pixelSkip = pixels ? null : "the detector produces no maps";
        float[][] evalMaps = pixels ? new float[n][] : null;
        Mask[] evalMasks = pixels ? new Mask[n] : null;
        boolean downscaled = false;
        List<String> ids = new ArrayList<>(n);
        double[] scores = new double[n];
        boolean[] positive = new boolean[n];
        List<PixelMap> keptMaps = keepMaps && pixels ? new ArrayList<>(n) : null;
        long scoreNanos = 0;

        List<ImageScore> chunk = List.of();
        for (int i = 0; i < n; i++) {
            LabeledImage item = test.get(i);
            if (i % SCORE_CHUNK == 0) {
                // batched detectors (scoreAll) score a chunk at once; the scores equal score()'s
                List<AnomalyImage> images = new ArrayList<>(SCORE_CHUNK);
                for (int j = i; j < Math.min(n, i + SCORE_CHUNK); j++) {
                    images.add(test.get(j).image());
                }
                long t0 = System.nanoTime();
                chunk = detector.scoreAll(images);
                scoreNanos += System.nanoTime() - t0;
            }
            ImageScore s = chunk.get(i % SCORE_CHUNK);
            if (!Double.isFinite(s.score())) {
                throw new IllegalArgumentException("detector " + detector.typeId() + " gave a non-finite score ("
                        + s.score() + ") to test image " + item.id());
            }
            ids.add(item.id());
            scores[i] = s.score();
            positive[i] = item.isAnomalous();
            Optional<PixelMap> map = s.map();
            if (keptMaps != null) {
                if (map.isPresent()) {
                    keptMaps.add(map.get());
                } else {
                    keptMaps = null;
                }
            }
            if (pixelSkip == null) {
                Optional<Mask> mask = item.mask();
                if (map.isEmpty()) {
                    pixelSkip = "the detector gave no map for test image " + item.id();
                } else if (mask.isEmpty() && item.isAnomalous()) {
                    pixelSkip = "anomalous test image " + item.id() + " has no mask";
                } else {
                    Mask m = mask.orElseGet(() -> Mask.empty(item.image().width(), item.image().height()));
                    int w = m.width();
                    int h = m.height();
                    int side = Math.max(w, h);
                    if (side > MAX_PIXEL_SIDE) {
                        double f = (double) MAX_PIXEL_SIDE / side;
                        w = Math.max(1, (int) Math.round(m.width() * f));
                        h = Math.max(1, (int) Math.round(m.height() * f));
                        downscaled = true;
                    }
                    evalMasks[i] = m.resize(w, h);
                    evalMaps[i] = map.get().resize(w, h).toArray();
                }
                if (pixelSkip != null) {
                    evalMaps = null;
                    evalMasks = null;
                    LOG.info("no pixel metrics for {}: {}", detector.typeId(), pixelSkip);
                }
            }
            progress.progress("score", i + 1, n);
        }

        long m0 = System.nanoTime();
        double scoreSeconds = scoreNanos / 1e9;
        EvaluationReport.Builder b = EvaluationReport.builder(detector.typeId(), datasetName)
                .imageAuroc(Metrics.auroc(scores, positive))
                .imageAupr(Metrics.averagePrecision(scores, positive))
                .fitSeconds(fitSeconds)
                .scoreImagesPerSecond(scoreSeconds > 0 ? n / scoreSeconds : Double.NaN)
                .trainImages(trainImages)
                .testImages(n);
        F1Max f1 = Metrics.f1Max(scores, positive);
        b.f1(f1.f1(), f1.threshold());
        for (DefectRowInput t : perType(test)) {
            b.addDefectRow(defectRow(t, scores, test));
        }
        b.extra("score_seconds", round(scoreSeconds, 3));
        if (pixelSkip == null) {
            PixelMetrics pm = Metrics.pixelMetrics(evalMaps, evalMasks, Metrics.DEFAULT_FPR_LIMIT);
            b.pixelAuroc(pm.auroc()).aupro(pm.aupro());
            b.extra("pixel_count", pm.pixels());
            b.extra("pixel_positive", pm.positives());
            b.extra("pixel_regions", pm.regions());
            b.extra("pixel_downscaled", downscaled);
        } else {
            b.extra("pixel_metrics_skipped", pixelSkip);
        }
        b.extra("metric_seconds", round((System.nanoTime() - m0) / 1e9, 3));
        return new EvaluationResult(b.build(), ids, scores, keptMaps == null ? List.of() : keptMaps);
    }

    private record DefectRowInput(String type, int count) {
    }

    /** Defect types of the anomalous images, sorted by name (as the reference). */
    private static List<DefectRowInput> perType(ImageSet test) {
        TreeSet<String> types = new TreeSet<>();
        for (LabeledImage item : test) {
            if (item.isAnomalous()) {
                types.add(item.defectType());
            }
        }
        List<DefectRowInput> out = new ArrayList<>();
        for (String t : types) {
            int c = 0;
            for (LabeledImage item : test) {
                if (item.isAnomalous() && item.defectType().equals(t)) {
                    c++;
                }
            }
            out.add(new DefectRowInput(t, c));
        }
        return out;
    }

    private static EvaluationReport.DefectRow defectRow(DefectRowInput t, double[] scores, ImageSet test) {
        int n = 0;
        for (LabeledImage item : test) {
            if (!item.isAnomalous() || item.defectType().equals(t.type())) {
                n++;
            }
        }
        double[] s = new double[n];
        boolean[] p = new boolean[n];
        int k = 0;
        for (int i = 0; i < test.size(); i++) {
            LabeledImage item = test.get(i);
            if (!item.isAnomalous() || item.defectType().equals(t.type())) {
                s[k] = scores[i];
                p[k] = item.isAnomalous();
                k++;
            }
        }
        return new EvaluationReport.DefectRow(t.type(), t.count(), Metrics.auroc(s, p));
    }

    private static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }
}
