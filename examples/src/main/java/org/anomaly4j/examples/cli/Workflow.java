package org.anomaly4j.examples.cli;

import java.io.PrintStream;
import java.util.List;

import org.anomaly4j.api.BadFile;
import org.anomaly4j.api.Calibration;
import org.anomaly4j.api.Detector;
import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.ImageScore;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.LabeledImage;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.data.DatasetSplit;

/** Steps the commands share: fit with a calibration hold-out, report skipped files. */
final class Workflow {
    private Workflow() {
    }

    /**
     * Fits on all but a {@code holdout} fraction of the normals (every k-th image, deterministic),
     * then calibrates on the held-out scores at {@code quantile}. Too few images: no calibration.
     */
    static Detector fitCalibrated(DetectorConfig<?> config, ImageSet train, double holdout, double quantile,
            ProgressListener progress, PrintStream err) {
        if (holdout < 0 || holdout >= 0.5) {
            throw new UsageException("--holdout must be in [0, 0.5), got " + holdout);
        }
        if (!(quantile > 0 && quantile < 1)) {
            throw new UsageException("--quantile must be in (0, 1), got " + quantile);
        }
        int nHold = (int) Math.floor(train.size() * holdout);
        if (holdout > 0 && nHold < 5) {
            err.println("anomaly4j: only " + train.size() + " training images: fitting on all of them, uncalibrated");
            nHold = 0;
        }
        if (nHold == 0) {
            return config.fit(train, progress);
        }
        int step = Math.max(2, train.size() / nHold);
        List<LabeledImage> fitOn = new java.util.ArrayList<>();
        List<LabeledImage> hold = new java.util.ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            (i % step == step - 1 && hold.size() < nHold ? hold : fitOn).add(train.get(i));
        }
        Detector d = config.fit(new ImageSet(train.name(), fitOn), progress);
        try {
            List<ImageScore> s = d.scoreAll(hold.stream().map(LabeledImage::image).toList(), progress);
            d.calibrate(Calibration.fromNormalScores(s.stream().mapToDouble(ImageScore::score).toArray(), quantile));
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    static void reportBadFiles(DatasetSplit split, PrintStream err) {
        List<BadFile> bad = new java.util.ArrayList<>(split.train().badFiles());
        bad.addAll(split.test().badFiles());
        for (BadFile b : bad) {
            err.println("anomaly4j: skipped " + b);
        }
    }
}
