package org.anomaly4j.examples.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import org.anomaly4j.api.Detector;
import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.metrics.EvaluationReport;

/** {@code anomaly4j eval}: fits (or loads) a detector and evaluates it on a data set's test split. */
final class EvalCommand implements Anomaly4jCli.Command {
    @Override
    public String help() {
        return String.join("\n",
                "usage: anomaly4j eval (--method NAME [--param k=v]... | --model FILE) --data ROOT",
                "                      --layout mvtec|folder|mtd|fashion-mnist [--category C] [--out DIR] [--heatmaps N]",
                "                      [--load-size S]",
                "",
                "With --method, fits NAME on the training split (timed); with --model, loads a saved detector.",
                "Scores the test split and writes DIR/report.json and DIR/report.csv (image AUROC, AUPR, F1-max,",
                "pixel AUROC, AUPRO to 30% FPR, fit seconds, images/s, per-defect-type AUROC, peak memory) and up to",
                "N (default 4) heatmap overlays per defect type under DIR/heatmaps. DIR defaults to anomaly4j-out/eval.",
                "--load-size S resizes images and masks to SxS when loading (default: 224 for mtd, the benchmark",
                "protocol, so pixel metrics are computed on 224x224 masks as the references do; original otherwise).");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws IOException {
        boolean hasMethod = args.has("method");
        boolean hasModel = args.has("model");
        if (hasMethod == hasModel) {
            throw new UsageException("give exactly one of --method NAME or --model FILE");
        }
        DetectorConfig<?> config = hasMethod ? Detectors.configure(args.require("method"), args.params()) : null;
        Path modelFile = hasModel ? args.path("model") : null;
        int heatmaps = args.integer("heatmaps", 4);
        Path outDir = Anomaly4jCli.outDir(args, "anomaly4j-out/eval");
        ProgressBar bar = ProgressBar.forStderr();
        DataSets.Loaded data = DataSets.load(args.require("layout"), args.get("data", null),
                args.get("category", null), args.integer("load-size", -1), bar);
        args.rejectUnknown();
        Workflow.reportBadFiles(data.split(), err);
        long t0 = System.nanoTime();
        try (Detector d = hasMethod ? config.fit(data.split().train(), bar) : Detectors.load(modelFile)) {
            double fitSeconds = hasMethod ? (System.nanoTime() - t0) / 1e9 : Double.NaN;
            int trainImages = hasMethod ? data.split().train().size() : d.provenance().trainImages();
            EvaluationReport r = Reports.evaluate(d, data.split().test(), data.name(), fitSeconds, trainImages, bar);
            int n = Reports.writeHeatmaps(d, data.split().test(),
                    outDir.resolve("heatmaps").resolve(Reports.safe(data.name())).resolve(d.typeId()), heatmaps);
            Reports.write(List.of(r), outDir, out);
            if (n > 0) {
                out.println("wrote " + n + " heatmap overlays under " + outDir.resolve("heatmaps"));
            }
        }
        return 0;
    }
}
