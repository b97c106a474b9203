package org.anomaly4j.examples.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

import org.anomaly4j.api.Detector;
import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.data.DatasetSplit;

/** {@code anomaly4j fit}: fits a detector on a data set's normal training images, calibrates it, saves it. */
final class FitCommand implements Anomaly4jCli.Command {
    @Override
    public String help() {
        return String.join("\n",
                "usage: anomaly4j fit --method NAME [--param k=v]... --data ROOT --layout mvtec|folder|mtd|fashion-mnist",
                "                     [--category C] --model FILE [--holdout F] [--quantile Q] [--load-size S]",
                "",
                "Fits NAME (see 'anomaly4j list') on the training images, holding out a fraction F (default 0.1)",
                "of them to calibrate the threshold at the Q-quantile (default 0.99) of their scores, and",
                "saves the detector to FILE (one zip file; load it with 'score' or Detectors.load).",
                "With --holdout 0 the detector is saved uncalibrated. --load-size S resizes images and masks to SxS",
                "when loading (default: 224 for mtd, the benchmark protocol; original sizes otherwise).");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws IOException {
        String method = args.require("method");
        DetectorConfig<?> config = Detectors.configure(method, args.params());
        Path model = args.path("model");
        double holdout = args.real("holdout", 0.1);
        double quantile = args.real("quantile", 0.99);
        DataSets.Loaded data = DataSets.load(args.require("layout"), args.get("data", null),
                args.get("category", null), args.integer("load-size", -1), ProgressBar.forStderr());
        args.rejectUnknown();
        Workflow.reportBadFiles(data.split(), err);
        DatasetSplit split = data.split();
        long t0 = System.nanoTime();
        try (Detector d = Workflow.fitCalibrated(config, split.train(), holdout, quantile, ProgressBar.forStderr(),
                err)) {
            double secs = (System.nanoTime() - t0) / 1e9;
            d.save(model);
            out.printf("fitted %s on %d images of %s in %.1f s%s; saved %s%n", method, split.train().size(),
                    data.name(), secs, d.calibration().map(c -> ", threshold " + Anomaly4jCli.fmt(c.threshold()))
                            .orElse(" (uncalibrated)"), model);
        }
        return 0;
    }
}
