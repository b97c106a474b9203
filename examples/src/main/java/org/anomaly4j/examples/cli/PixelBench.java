package org.anomaly4j.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.anomaly4j.api.Detector;
import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.metrics.EvaluationReport;
import org.anomaly4j.pixel.patchcore.PatchCore;

/**
 * {@code anomaly4j bench pixel}: a pixel-level detector (PatchCore, PaDiM, SPADE) on the MTD benchmark
 * protocol: fit seconds, images/s scored, image AUROC, pixel AUROC, AUPRO and the process's peak RSS,
 * optionally beside the Python reference ({@code run_image_ad.py}, run afterwards as a child process
 * so that each peak RSS belongs to one implementation), and the PatchCore growth table (fit seconds and
 * memory-bank bytes as the training set grows).
 */
final class PixelBench implements Anomaly4jCli.Command {
    private static final String MODELS = "/work/shared/models/mobilenet_v2_imagenet/";

    @Override
    public String help() {
        return String.join("\n",
                "usage: anomaly4j bench pixel --method patchcore|padim|spade [--param k=v]... [--data DIR]",
                "                             [--reference] [--python EXE] [--reference-script F]",
                "                             [--growth 100,200,400,761] [--no-eval] [--out DIR]",
                "",
                "Fits METHOD on the MTD training split (protocol of BENCHMARKS.md, 224x224), scores the test split in",
                "batches and prints fit s, img/s scored, image AUROC, pixel AUROC, AUPRO and the peak RSS of this",
                "process. The backbone defaults to torchscript:" + MODELS + "features.pt.",
                "  --data DIR            MTD root (default ../shared/data/mtd)",
                "  --reference           then run the Python reference (run_image_ad.py, same method, coreset",
                "                        ratio and layers) as a child process and print both rows and the ratios",
                "  --python EXE          (default /usr/bin/python3)",
                "  --reference-script F  (default ../shared/reference/run_image_ad.py)",
                "  --growth LIST         PatchCore only: fit on the first N training images for each N and print",
                "                        fit seconds and memory-bank bytes",
                "  --no-eval             skip the full fit/score run (e.g. growth only)",
                "  --out DIR             writes DIR/pixel-bench.json (default anomaly4j-out/bench-pixel)");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws IOException {
        String method = args.require("method");
        Map<String, String> params = new LinkedHashMap<>(args.params());
        params.putIfAbsent("backbone", "torchscript:" + MODELS + "features.pt");
        String data = args.get("data", "../shared/data/mtd");
        boolean reference = args.has("reference");
        String python = args.get("python", "/usr/bin/python3");
        String script = args.get("reference-script", "../shared/reference/run_image_ad.py");
        String growth = args.get("growth", null);
        boolean noEval = args.has("no-eval");
        Path outDir = Anomaly4jCli.outDir(args, "anomaly4j-out/bench-pixel");
        DetectorConfig<?> config = Detectors.configure(method, params);
        ProgressBar bar = ProgressBar.forStderr();
        DataSets.Loaded loaded = DataSets.load("mtd", data, null, -1, bar);
        args.rejectUnknown();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("method", method);
        json.put("parameters", config.toParameters());
        List<String[]> table = new ArrayList<>();
        Map<String, Object> ours = null;
        if (!noEval) {
            long t0 = System.nanoTime();
            try (Detector d = config.fit(loaded.split().train(), bar)) {
                double fit = (System.nanoTime() - t0) / 1e9;
                EvaluationReport r = Reports.evaluate(d, loaded.split().test(), loaded.name(), fit,
                        loaded.split().train().size(), bar);
                ours = new LinkedHashMap<>();
                ours.put("image_auroc", r.imageAuroc());
                ours.put("pixel_auroc", r.pixelAuroc());
                ours.put("aupro", r.aupro());
                ours.put("fit_seconds", fit);
                ours.put("images_per_second", r.scoreImagesPerSecond());
                ours.put("peak_rss_mb", Reports.peakRssMb());
                ours.put("provenance_notes", d.provenance().notes());
                json.put("anomaly4j", ours);
                table.add(row("anomaly4j " + method, ours));
                out.println(format(table));
            }
        }
        if (growth != null) {
            json.put("growth", growth(method, params, loaded.split().train(), growth, out, bar));
        }
        if (reference) {
            Map<String, Object> ref = reference(python, script, data, method, config.toParameters(), err);
            json.put("reference", ref);
            table.add(row("reference " + method, ref));
            if (ours != null) {
                double fitRatio = num(ref, "fit_seconds") / num(ours, "fit_seconds");
                double scoreRatio = num(ours, "images_per_second") / num(ref, "images_per_second");
                json.put("fit_speedup", fitRatio);
                json.put("score_speedup", scoreRatio);
                out.println(format(table));
                out.printf(Locale.ROOT, "measured in this run: fit %.2fx faster, scoring %.2fx faster than the reference%n",
                        fitRatio, scoreRatio);
            } else {
                out.println(format(table));
            }
        }
        Files.createDirectories(outDir);
        Path file = outDir.resolve("pixel-bench.json");
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
                .create().toJson(json));
        out.println("wrote " + file);
        return 0;
    }

    private static List<Map<String, Object>> growth(String method, Map<String, String> params, ImageSet train,
            String sizes, PrintStream out, ProgressBar bar) {
        if (!method.equals("patchcore")) {
            throw new UsageException("--growth is for patchcore (memory-bank size)");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        out.println("PatchCore growth (fit on the first N training images):");
        out.println(String.format(Locale.ROOT, "%8s %10s %12s %16s", "images", "fit s", "bank rows", "bank bytes"));
        for (String s : sizes.split(",")) {
            int n = Math.min(train.size(), Integer.parseInt(s.trim()));
            ImageSet part = new ImageSet(train.name() + "[0:" + n + "]", train.items().subList(0, n));
            DetectorConfig<?> c = Detectors.configure(method, params);
            long t0 = System.nanoTime();
            try (Detector d = c.fit(part, bar)) {
                double fit = (System.nanoTime() - t0) / 1e9;
                PatchCore pc = (PatchCore) d;
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("images", n);
                r.put("fit_seconds", fit);
                r.put("bank_rows", pc.memoryBankRows());
                r.put("bank_bytes", pc.memoryBankBytes());
                r.put("patches", d.provenance().notes().get("patches"));
                rows.add(r);
                out.println(String.format(Locale.ROOT, "%8d %10.1f %12d %16d", n, fit, pc.memoryBankRows(),
                        pc.memoryBankBytes()));
            }
        }
        return rows;
    }

    /** Runs run_image_ad.py for the same method and reads its record back. */
    private static Map<String, Object> reference(String python, String script, String data, String method,
            Map<String, String> p, PrintStream err) throws IOException {
        if (method.equals("spade")) {
            throw new UsageException("the reference has no SPADE; run without --reference");
        }
        String backbone = p.get("backbone");
        String features = backbone.startsWith("torchscript:") ? backbone.substring("torchscript:".length())
                : MODELS + "features.pt";
        Path tmp = Files.createTempFile("pixel-bench-ref", ".json");
        Files.delete(tmp);
        List<String> cmd = new ArrayList<>(List.of(python, script, "--dataset", "mtd", "--data-root", data,
                "--backbone", features, "--method", method, "--out", tmp.toString()));
        if (method.equals("patchcore")) {
            cmd.add("--coreset");
            cmd.add(p.get("coreset_ratio"));
            if (p.get("layers").equals("4,8,16")) {
                cmd.add("--layers");
                cmd.add("s4s8s16");
            }
        }
        err.println("starting the Python reference: " + String.join(" ", cmd));
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (InputStream in = proc.getInputStream()) {
            in.transferTo(err);
        }
        try {
            if (proc.waitFor() != 0) {
                throw new IOException("the Python reference failed (exit " + proc.exitValue() + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        JsonObject doc = JsonParser.parseString(Files.readString(tmp, StandardCharsets.UTF_8)).getAsJsonObject();
        Files.deleteIfExists(tmp);
        JsonObject methods = doc.getAsJsonObject("protocols").getAsJsonObject("mtd_resize224").getAsJsonObject("methods");
        JsonObject rec = methods.entrySet().iterator().next().getValue().getAsJsonObject();
        JsonObject m = rec.getAsJsonObject("metrics");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("image_auroc", m.get("image_auroc").getAsDouble());
        r.put("pixel_auroc", m.get("pixel_auroc").getAsDouble());
        r.put("aupro", m.get("aupro_0.3").getAsDouble());
        if (m.has("image_auroc_reweighted")) {
            r.put("image_auroc_reweighted", m.get("image_auroc_reweighted").getAsDouble());
        }
        r.put("fit_seconds", rec.get("fit_seconds").getAsDouble());
        r.put("images_per_second", rec.get("score_images_per_s").getAsDouble());
        r.put("peak_rss_mb", rec.get("peak_rss_mb").getAsDouble());
        r.put("fit_breakdown", rec.get("fit_breakdown").toString());
        return r;
    }

    private static double num(Map<String, Object> m, String k) {
        return ((Number) m.get(k)).doubleValue();
    }

    private static String[] row(String name, Map<String, Object> m) {
        return new String[] {name, pct(m, "image_auroc"), pct(m, "pixel_auroc"), pct(m, "aupro"),
                String.format(Locale.ROOT, "%.1f", num(m, "fit_seconds")),
                String.format(Locale.ROOT, "%.1f", num(m, "images_per_second")),
                String.format(Locale.ROOT, "%.0f", num(m, "peak_rss_mb"))};
    }

    private static String pct(Map<String, Object> m, String k) {
        return String.format(Locale.ROOT, "%.2f", 100 * num(m, k));
    }

    private static String format(List<String[]> rows) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-24s %8s %8s %8s %9s %8s %8s%n", "method",
                "img AUC", "pix AUC", "AUPRO", "fit s", "img/s", "peak MB"));
        for (String[] r : rows) {
            b.append(String.format(Locale.ROOT, "%-24s %8s %8s %8s %9s %8s %8s%n", (Object[]) r));
        }
        return b.toString();
    }
}
