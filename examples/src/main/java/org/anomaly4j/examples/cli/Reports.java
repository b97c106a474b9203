package org.anomaly4j.examples.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.anomaly4j.api.Detector;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.LabeledImage;
import org.anomaly4j.api.PixelMap;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.metrics.Evaluation;
import org.anomaly4j.metrics.EvaluationReport;
import org.anomaly4j.metrics.Heatmaps;

/** Evaluation with the extras the CLI reports (peak memory), heatmap overlays, and report files. */
final class Reports {
    private Reports() {
    }

    /** Evaluates {@code d} on {@code test} and adds the process's peak memory. */
    static EvaluationReport evaluate(Detector d, ImageSet test, String dataset, double fitSeconds, int trainImages,
            ProgressListener progress) {
        EvaluationReport r = Evaluation.run(d, test, dataset, fitSeconds, trainImages, progress);
        long peak = peakRssMb();
        return peak > 0 ? r.withExtra("peak_rss_mb", peak) : r;
    }

    /**
     * Writes overlays (input | map | blend with the mask contour) for up to {@code perType} images
     * of each defect type and of the normal ones, on one colour range so they compare.
     */
    static int writeHeatmaps(Detector d, ImageSet test, Path dir, int perType) throws IOException {
        if (!d.producesMaps()) {
            return 0;
        }
        Map<String, List<LabeledImage>> byType = new LinkedHashMap<>();
        for (LabeledImage li : test) {
            List<LabeledImage> l = byType.computeIfAbsent(li.defectType(), k -> new ArrayList<>());
            if (l.size() < perType) {
                l.add(li);
            }
        }
        List<LabeledImage> chosen = byType.values().stream().flatMap(List::stream).toList();
        List<PixelMap> maps = new ArrayList<>();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (LabeledImage li : chosen) {
            PixelMap m = d.score(li.image()).map().orElseThrow();
            maps.add(m);
            lo = Math.min(lo, m.min());
            hi = Math.max(hi, m.quantile(0.995));
        }
        for (int i = 0; i < chosen.size(); i++) {
            LabeledImage li = chosen.get(i);
            String name = safe(li.defectType()) + "_" + safe(li.id()) + ".png";
            Heatmaps.writePng(Heatmaps.overlay(li.image(), maps.get(i), li.mask().orElse(null), lo, hi),
                    dir.resolve(name));
        }
        return chosen.size();
    }

    /** Writes report.json and report.csv into {@code out} and prints the table. */
    static void write(List<EvaluationReport> reports, Path out, PrintStream console) throws IOException {
        Files.createDirectories(out);
        EvaluationReport.writeJson(reports, out.resolve("report.json"));
        EvaluationReport.writeCsv(reports, out.resolve("report.csv"));
        console.println(EvaluationReport.formatTable(reports));
        console.println("wrote " + out.resolve("report.json") + " and " + out.resolve("report.csv"));
    }

    static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Peak resident memory of this process (heap and native), from /proc; -1 where unavailable. */
    static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
