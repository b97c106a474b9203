package org.anomaly4j.examples.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.anomaly4j.api.Detector;
import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.DetectorProvider;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.metrics.EvaluationReport;
import org.anomaly4j.testdata.NamedSplit;
import org.anomaly4j.testdata.SyntheticDefects;

/**
 * {@code anomaly4j demo}: generates synthetic defect categories (textures and objects with planted
 * scratches, holes, stains, cracks; exact masks), fits every detector that belongs in the demo,
 * evaluates it, and writes the table, report.json, report.csv and heatmap overlays.
 */
final class DemoCommand implements Anomaly4jCli.Command {
    @Override
    public String help() {
        return String.join("\n",
                "usage: anomaly4j demo [--out DIR] [--seed S]",
                "",
                "Generates one synthetic category per texture and object kind (128x128 RGB, planted defects with",
                "exact masks), fits each demo detector (those that need no pretrained weights), evaluates them and",
                "writes DIR/report.json, DIR/report.csv and DIR/heatmaps/<category>/<detector>/*.png.",
                "DIR defaults to anomaly4j-out/demo; no download, no set-up.");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws IOException {
        Path outDir = Anomaly4jCli.outDir(args, "anomaly4j-out/demo");
        long seed = args.integer("seed", 0);
        args.rejectUnknown();
        ProgressBar bar = ProgressBar.forStderr();
        List<NamedSplit> categories = SyntheticDefects.demoCategories(seed);
        List<EvaluationReport> reports = new ArrayList<>();
        int overlays = 0;
        for (DetectorProvider p : Detectors.list()) {
            Optional<Map<String, String>> params = p.demoParameters();
            if (params.isEmpty()) {
                continue;
            }
            DetectorConfig<?> config = p.configure(params.get());
            for (NamedSplit c : categories) {
                out.printf("demo: %s on %s (%d train, %d test)%n", p.typeId(), c.name(), c.split().train().size(),
                        c.split().test().size());
                long t0 = System.nanoTime();
                try (Detector d = config.fit(c.split().train(), bar)) {
                    double fit = (System.nanoTime() - t0) / 1e9;
                    reports.add(Reports.evaluate(d, c.split().test(), "synthetic/" + c.name(), fit,
                            c.split().train().size(), bar));
                    overlays += Reports.writeHeatmaps(d, c.split().test(),
                            outDir.resolve("heatmaps").resolve(c.name()).resolve(p.typeId()), 2);
                }
            }
        }
        if (reports.isEmpty()) {
            throw new IllegalStateException("no demo detector on the class path");
        }
        out.println();
        Reports.write(reports, outDir, out);
        out.println("wrote " + overlays + " heatmap overlays under " + outDir.resolve("heatmaps"));
        return 0;
    }
}
