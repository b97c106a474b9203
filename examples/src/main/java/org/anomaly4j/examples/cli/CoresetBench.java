package org.anomaly4j.examples.cli;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ai.djl.Model;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.Preprocessing;
import org.anomaly4j.api.ProgressListener;
import org.anomaly4j.data.DatasetSplit;
import org.anomaly4j.data.LoadOptions;
import org.anomaly4j.data.MtdLayout;
import org.anomaly4j.tensor.Coreset;
import org.anomaly4j.tensor.Devices;
import org.anomaly4j.tensor.ImageBatches;

/**
 * {@code anomaly4j bench coreset}: k-center greedy coreset selection on the PatchCore memory bank
 * of MTD (MobileNetV2 features, 596,624 x 128), exact versus pruned, with coverage radii, the
 * Python reference loop timed side by side on the same subsample, and a wide (1,536-dim) case.
 */
final class CoresetBench implements Anomaly4jCli.Command {
    private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};
    /** The reference's exact greedy on the full MTD bank at 10% (shared/reference/mtd.json, PatchCore-10%). */
    private static final String REFERENCE_NOTE = "reference: exact greedy (PyTorch, 1 thread) on the full bank";

    @Override
    public String help() {
        return String.join("\n",
                "usage: anomaly4j bench coreset (--data MTD_DIR --backbone features.pt | --bank BANK.npy) [options]",
                "",
                "Builds the PatchCore memory bank of the MTD training split exactly as the Python reference does",
                "(224x224 RGB, ImageNet normalisation, MobileNetV2 maps 1 and 2, 3x3 average pooling, map 2",
                "bilinearly resized to 28x28, concatenated: 128 dims), or reads one from a float32 .npy; then times",
                "k-center greedy selection: exact and pruned (FAST, same picks) on a subsample, the pruned one on the",
                "whole bank, the Python reference loop on the same subsample, and a wide 100,000 x 1,536 case.",
                "",
                "options:",
                "  --data DIR            MTD root (MT_Free/Imgs, ...)",
                "  --backbone FILE       TorchScript feature extractor (features.pt)",
                "  --bank FILE           read the bank from a float32 [n, d] .npy instead",
                "  --dump-bank FILE      write the bank built from --data as .npy",
                "  --ratios LIST         ratios for the whole bank (default 0.1,0.01)",
                "  --exact ROWS|full|0   rows (first ROWS) on which exact greedy runs beside FAST at the first",
                "                        ratio (default 100000; 'full' = the whole bank: about 1.5 h on 2 cores)",
                "  --wide gaussian|none  the wide case: seeded Gaussian data (default gaussian)",
                "  --wide-rows N         rows of the wide case (default 100000)",
                "  --wide-dim D          dimension of the wide case (default 1536)",
                "  --wide-exact no|fast|loop  also run exact greedy on the wide case without projection: FAST",
                "                        (the same picks as the loop, proven by the tests) or the plain loop (default no)",
                "  --projection P        none | auto | auto:EPS | DIM for the MTD bank (default auto = none at 128-d)",
                "  --approx DIM          also run FAST on the whole bank at the first ratio after a sparse random",
                "                        projection to DIM dimensions (approximate; coverage still in the bank's space)",
                "  --coverage yes|no     compute coverage radii (exact; as costly as a selection) (default yes)",
                "  --threads N           worker threads (default: available processors)",
                "  --seed S              seed (default 0); the start row is numpy's default_rng(0).integers(n)",
                "                        when the Python reference runs, else drawn from the seed",
                "  --python EXE          Python for the reference loop (default /usr/bin/python3)",
                "  --reference-script F  the reference loop (default tools/bench_coreset_reference.py)",
                "  --no-python           skip the Python reference",
                "  --out FILE            JSON report (default anomaly4j-out/coreset-bench.json)");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws IOException {
        String bankArg = args.get("bank", null);
        String dataArg = args.get("data", null);
        String backboneArg = args.get("backbone", null);
        String dump = args.get("dump-bank", null);
        double[] ratios = Arrays.stream(args.get("ratios", "0.1,0.01").split(",")).mapToDouble(s -> {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--ratios takes comma-separated numbers, got '" + s + "'");
            }
        }).toArray();
        String exactArg = args.get("exact", "100000");
        String wide = args.get("wide", "gaussian");
        int wideRows = args.integer("wide-rows", 100_000);
        int wideDim = args.integer("wide-dim", 1536);
        String wideExactArg = args.get("wide-exact", "no").toLowerCase(Locale.ROOT);
        if (!List.of("no", "yes", "fast", "loop").contains(wideExactArg)) {
            throw new UsageException("--wide-exact takes no, fast or loop, got '" + wideExactArg + "'");
        }
        boolean wideExact = !wideExactArg.equals("no");
        Coreset.Method wideExactMethod = wideExactArg.equals("loop") ? Coreset.Method.EXACT : Coreset.Method.FAST;
        Coreset.Projection projection = Coreset.Projection.parse(args.get("projection", "auto"));
        int threads = args.integer("threads", Runtime.getRuntime().availableProcessors());
        int approxDim = args.integer("approx", 0);
        boolean withCoverage = !args.get("coverage", "yes").equalsIgnoreCase("no");
        long seed = args.integer("seed", 0);
        String python = args.get("python", "/usr/bin/python3");
        String script = args.get("reference-script", null);
        boolean noPython = args.has("no-python");
        boolean quiet = args.has("quiet");
        Path outFile = Path.of(args.get("out", "anomaly4j-out/coreset-bench.json"));
        args.rejectUnknown();
        if (bankArg == null && (dataArg == null || backboneArg == null)) {
            throw new UsageException("give --bank FILE.npy, or --data MTD_DIR and --backbone features.pt");
        }
        ProgressListener progress = quiet ? ProgressListener.NONE : ProgressBar.forStderr();

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "coreset");
        json.put("load_average_at_start", loadAverage());
        json.put("threads", threads);
        json.put("cpus", Runtime.getRuntime().availableProcessors());
        json.put("seed", seed);
        List<String[]> table = new ArrayList<>();

        // ---------------------------------------------------------------- the bank
        float[] bank;
        int n;
        int d;
        long t0 = System.nanoTime();
        if (bankArg != null) {
            Npy npy = Npy.read(Path.of(bankArg));
            if (npy.shape.length != 2 || npy.floats == null) {
                throw new IllegalArgumentException(bankArg + ": expected a float32 [n, d] array, got shape "
                        + Arrays.toString(npy.shape));
            }
            bank = npy.floats;
            n = (int) npy.shape[0];
            d = (int) npy.shape[1];
            json.put("bank_source", bankArg);
        } else {
            BankBuild b = buildMtdBank(Path.of(dataArg), Path.of(backboneArg), progress, out);
            bank = b.bank;
            n = b.rows;
            d = 128;
            json.put("bank_source", "MTD train split " + b.images + " images via " + backboneArg);
            json.put("bank_load_seconds", round(b.loadSeconds));
            json.put("bank_extract_seconds", round(b.extractSeconds));
        }
        double bankSeconds = (System.nanoTime() - t0) / 1e9;
        json.put("bank_rows", n);
        json.put("bank_dim", d);
        json.put("bank_seconds", round(bankSeconds));
        out.printf(Locale.ROOT, "bank %d x %d ready in %.1fs%n", n, d, bankSeconds);
        if (dump != null) {
            Npy.writeFloats(Path.of(dump), bank, n, d);
            out.println("wrote " + dump);
        }

        // the reference's start row: numpy.random.default_rng(0).integers(n), asked from Python when it is there
        Path scriptPath = noPython ? null : referenceScript(script);
        if (!noPython && scriptPath == null) {
            err.println("coreset bench: reference script not found (give --reference-script); skipping Python");
        }

        // ---------------------------------------------------------------- exact vs FAST on a subsample
        int exactRows;
        if (exactArg.equalsIgnoreCase("full")) {
            exactRows = n;
        } else {
            try {
                exactRows = Math.min(n, Integer.parseInt(exactArg));
            } catch (NumberFormatException e) {
                throw new UsageException("--exact takes a row count, 'full' or 0, got '" + exactArg + "'");
            }
        }
        double r0 = ratios.length > 0 ? ratios[0] : 0.1;
        List<Map<String, Object>> runs = new ArrayList<>();
        if (exactRows > 0) {
            float[] sub = exactRows == n ? bank : Arrays.copyOf(bank, exactRows * d);
            String label = exactRows == n ? "full bank" : "first " + exactRows + " rows";
            Integer start = null;
            Map<String, Object> py = null;
            long[] pyPicks = null;
            if (scriptPath != null) {
                Path tmp = Files.createTempDirectory("a4j-coreset");
                try {
                    Path subFile = tmp.resolve("sub.npy");
                    Path picksFile = tmp.resolve("picks.npy");
                    Npy.writeFloats(subFile, sub, exactRows, d);
                    out.printf(Locale.ROOT, "python reference loop on %s at %.2f ...%n", label, r0);
                    py = runPython(python, scriptPath, subFile, r0, picksFile, err);
                    if (py != null) {
                        start = ((Number) py.get("start")).intValue();
                        pyPicks = Npy.read(picksFile).longs;
                    }
                } finally {
                    deleteTree(tmp);
                }
            }
            Coreset.Builder cb = Coreset.builder().setRatio(r0).optSeed(seed).optThreads(threads)
                    .optProjection(projection);
            if (start != null) {
                cb.optStartIndex(start);
            }
            double c0 = cpuSeconds();
            Coreset.Selection fast = cb.optMethod(Coreset.Method.FAST).build().select(sub, exactRows, d, progress);
            double c1 = cpuSeconds();
            out.printf(Locale.ROOT, "FAST on %s at %.2f: %.1fs (%.1f cpu-s)%n", label, r0, fast.seconds(), c1 - c0);
            Coreset.Selection exact = cb.optMethod(Coreset.Method.EXACT).build().select(sub, exactRows, d, progress);
            double c2 = cpuSeconds();
            out.printf(Locale.ROOT, "EXACT on %s at %.2f: %.1fs (%.1f cpu-s)%n", label, r0, exact.seconds(), c2 - c1);
            double covFast = withCoverage ? Coreset.coverage(sub, exactRows, d, fast.indices()) : Double.NaN;
            double covExact = withCoverage ? Coreset.coverage(sub, exactRows, d, exact.indices()) : Double.NaN;
            boolean same = Arrays.equals(fast.indices(), exact.indices());
            Map<String, Object> sj = new LinkedHashMap<>();
            sj.put("rows", exactRows);
            sj.put("dim", d);
            sj.put("ratio", r0);
            sj.put("start", fast.startIndex());
            sj.put("coreset_size", fast.size());
            sj.put("exact_seconds", round(exact.seconds()));
            sj.put("exact_cpu_seconds", round(c2 - c1));
            sj.put("fast_seconds", round(fast.seconds()));
            sj.put("fast_cpu_seconds", round(c1 - c0));
            sj.put("speedup_fast_vs_exact", round(exact.seconds() / fast.seconds()));
            sj.put("exact_coverage", covExact);
            sj.put("fast_coverage", covFast);
            sj.put("coverage_ratio_fast_over_exact", covFast / covExact);
            sj.put("identical_picks", same);
            sj.put("fast_distance_evaluations", fast.distanceEvaluations());
            sj.put("exact_distance_evaluations", exact.distanceEvaluations());
            table.add(row("EXACT (Java, " + threads + " thr)", label, r0, exact.size(), exact.seconds(), covExact, ""));
            table.add(row("FAST (DJL, " + threads + " workers)", label, r0, fast.size(), fast.seconds(), covFast,
                    same ? "same picks as exact" : "PICKS DIFFER"));
            if (py != null) {
                double pySec = ((Number) py.get("seconds")).doubleValue();
                int[] pp = new int[pyPicks.length];
                for (int i = 0; i < pp.length; i++) {
                    pp[i] = (int) pyPicks[i];
                }
                double covPy = withCoverage ? Coreset.coverage(sub, exactRows, d, pp) : Double.NaN;
                int prefix = commonPrefix(pp, exact.indices());
                py.put("coverage", covPy);
                py.put("picks_equal_to_java_exact_prefix", prefix);
                py.put("picks_overlap_with_java_exact", overlap(pp, exact.indices()));
                sj.put("python_reference", py);
                sj.put("speedup_fast_vs_python", round(pySec / fast.seconds()));
                sj.put("speedup_exact_vs_python", round(pySec / exact.seconds()));
                table.add(row("reference (PyTorch, 1 thr)", label, r0, pp.length, pySec, covPy,
                        "first " + prefix + " picks equal Java's"));
            }
            json.put("subsample", sj);
        }

        // ---------------------------------------------------------------- FAST on the whole bank
        Integer fullStart = null;
        if (scriptPath != null) {
            fullStart = numpyStart(python, n, err);
        }
        for (double r : ratios) {
            runs.add(wholeBank(bank, n, d, r, seed, threads, projection, fullStart, withCoverage, progress, out, table));
        }
        if (approxDim > 0) {
            runs.add(wholeBank(bank, n, d, r0, seed, threads, Coreset.Projection.dims(approxDim), fullStart,
                    withCoverage, progress, out, table));
        }
        json.put("whole_bank", runs);
        json.put("reference_note", REFERENCE_NOTE + "; coreset_s 1082 s at 10% and 116.2 s at 1% on this machine "
                + "(shared/reference/mtd.json; torch 1.13)");

        // ---------------------------------------------------------------- the wide case
        if (!wide.equalsIgnoreCase("none")) {
            if (!wide.equalsIgnoreCase("gaussian")) {
                throw new UsageException("--wide takes gaussian or none, got '" + wide + "'");
            }
            bank = null; // let the MTD bank go
            float[] w = gaussian(wideRows, wideDim, seed);
            Map<String, Object> wj = new LinkedHashMap<>();
            wj.put("data", "seeded Gaussian N(0,1), rows x dim = " + wideRows + " x " + wideDim + ", seed " + seed);
            wj.put("rows", wideRows);
            wj.put("dim", wideDim);
            wj.put("ratio", r0);
            Coreset.Builder cb = Coreset.builder().setRatio(r0).optSeed(seed).optThreads(threads)
                    .optProjection(Coreset.Projection.auto());
            double w0 = cpuSeconds();
            Coreset.Selection s = cb.optMethod(Coreset.Method.FAST).build().select(w, wideRows, wideDim, progress);
            double w1 = cpuSeconds();
            out.printf(Locale.ROOT, "FAST on the wide case: %.1fs (%.1f cpu-s)%n", s.seconds(), w1 - w0);
            double cov = withCoverage ? Coreset.coverage(w, wideRows, wideDim, s.indices()) : Double.NaN;
            wj.put("projection", "auto (eps 0.9) -> " + s.dimension() + " dims");
            wj.put("fast_seconds", round(s.seconds()));
            wj.put("fast_cpu_seconds", round(w1 - w0));
            wj.put("fast_coverage", cov);
            wj.put("fast_distance_evaluations", s.distanceEvaluations());
            table.add(row("FAST (DJL, " + threads + " workers)", "wide " + wideRows + "x" + wideDim + " -> "
                    + s.dimension(), r0, s.size(), s.seconds(), cov, "Gaussian; coverage in " + wideDim + "-d"));
            if (wideExact) {
                // exact greedy in the full space (no projection), with its own coverage
                double e0 = cpuSeconds();
                Coreset.Selection e = cb.optMethod(wideExactMethod).optProjection(Coreset.Projection.none()).build()
                        .select(w, wideRows, wideDim, progress);
                double e1 = cpuSeconds();
                double covE = withCoverage ? Coreset.coverage(w, wideRows, wideDim, e.indices()) : Double.NaN;
                wj.put("exact_method", wideExactMethod.toString() + " without projection");
                wj.put("exact_seconds", round(e.seconds()));
                wj.put("exact_cpu_seconds", round(e1 - e0));
                wj.put("exact_coverage", covE);
                wj.put("coverage_ratio_projected_over_exact", cov / covE);
                wj.put("picks_overlap_with_exact", overlap(s.indices(), e.indices()));
                table.add(row(wideExactMethod + " (" + threads + " workers), no projection", "wide " + wideRows + "x"
                        + wideDim, r0, e.size(), e.seconds(), covE, "exact greedy in " + wideDim + "-d"));
            }
            json.put("wide", wj);
        }
        json.put("peak_rss_mb", Reports.peakRssMb());
        json.put("load_average_at_end", loadAverage());

        // ---------------------------------------------------------------- report
        out.println();
        out.println(formatTable(table));
        out.printf(Locale.ROOT, "peak RSS %d MB%n", Reports.peakRssMb());
        if (outFile.getParent() != null) {
            Files.createDirectories(outFile.getParent());
        }
        Files.writeString(outFile, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues()
                .create().toJson(json));
        out.println("wrote " + outFile);
        return 0;
    }

    private static Map<String, Object> wholeBank(float[] bank, int n, int d, double r, long seed, int threads,
            Coreset.Projection projection, Integer start, boolean withCoverage, ProgressListener progress,
            PrintStream out, List<String[]> table) {
        Coreset.Builder cb = Coreset.builder().setRatio(r).optSeed(seed).optThreads(threads).optProjection(projection);
        if (start != null) {
            cb.optStartIndex(start);
        }
        double c0 = cpuSeconds();
        Coreset.Selection s = cb.optMethod(Coreset.Method.FAST).build().select(bank, n, d, progress);
        double cpu = cpuSeconds() - c0;
        out.printf(Locale.ROOT, "FAST on the whole bank at %.2f (projection %s): %.1fs (%.1f cpu-s)%n", r, projection,
                s.seconds(), cpu);
        long tc = System.nanoTime();
        double cov = withCoverage ? Coreset.coverage(bank, n, d, s.indices()) : Double.NaN;
        double covSec = (System.nanoTime() - tc) / 1e9;
        Map<String, Object> rj = new LinkedHashMap<>();
        rj.put("rows", n);
        rj.put("dim", d);
        rj.put("ratio", r);
        rj.put("projection", projection.toString() + (s.dimension() != d ? " -> " + s.dimension() + " dims" : ""));
        rj.put("start", s.startIndex());
        rj.put("coreset_size", s.size());
        rj.put("method", "FAST");
        rj.put("seconds", round(s.seconds()));
        rj.put("cpu_seconds", round(cpu));
        rj.put("exact_distance_evaluations", s.distanceEvaluations());
        rj.put("coverage", cov);
        rj.put("coverage_seconds", round(covSec));
        rj.put("first_picks", Arrays.toString(Arrays.copyOf(s.indices(), Math.min(5, s.size()))));
        String note = s.dimension() != d ? "sparse projection to " + s.dimension() + " dims (approximate)" : "";
        Double ref = referenceSeconds(r);
        if (ref != null && n == 596_624 && s.dimension() == d) {
            rj.put("reference_exact_seconds_mtd_json", ref);
            rj.put("speedup_vs_reference_mtd_json", round(ref / s.seconds()));
            note = String.format(Locale.ROOT, "ref %.0fs (mtd.json): %.1fx", ref, ref / s.seconds());
        }
        table.add(row("FAST (DJL, " + threads + " workers)", "whole bank", r, s.size(), s.seconds(), cov, note));
        return rj;
    }

    // -------------------------------------------------------------------------------- MTD bank

    private record BankBuild(float[] bank, int rows, int images, double loadSeconds, double extractSeconds) {
    }

    /** The reference's PatchCore bank: stride-8 (32 ch) and stride-16 (96 ch) maps, pooled, 28x28, concatenated. */
    static BankBuild buildMtdBank(Path data, Path backbone, ProgressListener progress, PrintStream out)
            throws IOException {
        long t0 = System.nanoTime();
        DatasetSplit split = MtdLayout.split(data, 0, LoadOptions.resized(224, 224).withProgress(progress));
        List<AnomalyImage> imgs = split.train().images();
        double load = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "loaded %d MTD training images in %.1fs%n", imgs.size(), load);
        long t1 = System.nanoTime();
        int per = 28 * 28;
        int dim = 128;
        float[] bank = new float[imgs.size() * per * dim];
        Path dir = backbone.toAbsolutePath().getParent();
        String name = backbone.getFileName().toString().replaceFirst("\\.pt$", "");
        try (Model model = Model.newInstance("coreset-bench", Devices.current(), "PyTorch")) {
            try {
                model.load(dir, name);
            } catch (MalformedModelException e) {
                throw new IOException("cannot load " + backbone + ": " + e.getMessage(), e);
            }
            NDManager root = model.getNDManager();
            ImageBatches batches = ImageBatches.of(imgs, Preprocessing.resize(224, 224, 3), IMAGENET_MEAN,
                    IMAGENET_STD, 16);
            batches.forEach(root, (batch, from) -> {
                NDList outs = model.getBlock().forward(new ParameterStore(batch.getManager(), false),
                        new NDList(batch), false);
                NDArray f8 = outs.get(1);
                NDArray f16 = outs.get(2);
                int b = (int) f8.getShape().get(0);
                float[] a8 = f8.toFloatArray();
                float[] a16 = f16.toFloatArray();
                outs.close();
                embed(a8, a16, b, bank, from * per * dim);
            }, progress);
        }
        double ext = (System.nanoTime() - t1) / 1e9;
        out.printf(Locale.ROOT, "extracted %d x %d patch features in %.1fs%n", imgs.size() * per, dim, ext);
        return new BankBuild(bank, imgs.size() * per, imgs.size(), load, ext);
    }

    /**
     * avg_pool 3x3 / 1 / pad 1 (count_include_pad) on [b,32,28,28] and [b,96,14,14], the latter bilinearly
     * resized (align_corners=false) to 28x28, concatenated and written as rows (image, y, x) of 128.
     */
    static void embed(float[] f8, float[] f16, int b, float[] bank, int offset) {
        int c8 = 32;
        int c16 = 96;
        float[] p8 = new float[28 * 28];
        float[] p16 = new float[14 * 14];
        int dim = c8 + c16;
        for (int img = 0; img < b; img++) {
            int rowBase = offset + img * 28 * 28 * dim;
            for (int c = 0; c < c8; c++) {
                avgPool3(f8, (img * c8 + c) * 784, 28, 28, p8);
                for (int p = 0; p < 784; p++) {
                    bank[rowBase + p * dim + c] = p8[p];
                }
            }
            for (int c = 0; c < c16; c++) {
                avgPool3(f16, (img * c16 + c) * 196, 14, 14, p16);
                for (int y = 0; y < 28; y++) {
                    double sy = Math.max(0, (y + 0.5) * 0.5 - 0.5);
                    int y0 = (int) sy;
                    int y1 = y0 < 13 ? y0 + 1 : y0;
                    float ly1 = (float) (sy - y0);
                    float ly0 = 1f - ly1;
                    for (int x = 0; x < 28; x++) {
                        double sx = Math.max(0, (x + 0.5) * 0.5 - 0.5);
                        int x0 = (int) sx;
                        int x1 = x0 < 13 ? x0 + 1 : x0;
                        float lx1 = (float) (sx - x0);
                        float lx0 = 1f - lx1;
                        float v = ly0 * (lx0 * p16[y0 * 14 + x0] + lx1 * p16[y0 * 14 + x1])
                                + ly1 * (lx0 * p16[y1 * 14 + x0] + lx1 * p16[y1 * 14 + x1]);
                        bank[rowBase + (y * 28 + x) * dim + c8 + c] = v;
                    }
                }
            }
        }
    }

    private static void avgPool3(float[] src, int off, int h, int w, float[] dst) {
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    int yy = y + dy;
                    if (yy < 0 || yy >= h) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = x + dx;
                        if (xx >= 0 && xx < w) {
                            s += src[off + yy * w + xx];
                        }
                    }
                }
                dst[y * w + x] = s / 9f;
            }
        }
    }

    // -------------------------------------------------------------------------------- helpers

    static float[] gaussian(int rows, int dim, long seed) {
        float[] w = new float[rows * dim];
        int blocks = (rows + 4095) / 4096;
        java.util.stream.IntStream.range(0, blocks).parallel().forEach(bk -> {
            SplittableRandom r = new SplittableRandom(seed * 1_000_003L + bk);
            int e = Math.min(rows, (bk + 1) * 4096) * dim;
            for (int i = bk * 4096 * dim; i < e; i++) {
                w[i] = (float) r.nextGaussian();
            }
        });
        return w;
    }

    /** CPU seconds of this process so far (all threads, native ones included), or NaN off Linux. */
    static double cpuSeconds() {
        try {
            String[] f = Files.readString(Path.of("/proc/self/stat")).split(" ");
            return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** /proc/loadavg's first three fields: how busy the (shared) machine was. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static Double referenceSeconds(double ratio) {
        if (ratio == 0.1) {
            return 1082.0;
        }
        if (ratio == 0.01) {
            return 116.2;
        }
        return null;
    }

    private static Path referenceScript(String given) {
        if (given != null) {
            return Path.of(given);
        }
        Path p = Path.of("tools", "bench_coreset_reference.py");
        if (Files.isRegularFile(p)) {
            return p;
        }
        try {
            Path classes = Path.of(CoresetBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // examples/target/classes -> project root
            Path root = classes.getParent().getParent().getParent();
            Path q = root.resolve("tools").resolve("bench_coreset_reference.py");
            return Files.isRegularFile(q) ? q : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static Map<String, Object> runPython(String python, Path script, Path bank, double ratio, Path picks,
            PrintStream err) throws IOException {
        List<String> cmd = List.of(python, script.toString(), "--bank", bank.toString(), "--ratio",
                Double.toString(ratio), "--picks", picks.toString());
        String outText = exec(cmd, err, 3600);
        if (outText == null) {
            return null;
        }
        String last = outText.strip();
        last = last.substring(last.lastIndexOf('\n') + 1);
        JsonObject o = JsonParser.parseString(last).getAsJsonObject();
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : o.keySet()) {
            m.put(k, o.get(k).getAsJsonPrimitive().isNumber() ? o.get(k).getAsNumber() : o.get(k).getAsString());
        }
        return m;
    }

    private static Integer numpyStart(String python, int n, PrintStream err) throws IOException {
        String o = exec(List.of(python, "-c", "import numpy as np; print(int(np.random.default_rng(0).integers("
                + n + ")))"), err, 120);
        try {
            return o == null ? null : Integer.valueOf(o.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String exec(List<String> cmd, PrintStream err, long timeoutS) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            err.println("coreset bench: cannot run " + cmd.get(0) + ": " + e.getMessage());
            return null;
        }
        byte[] b = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(timeoutS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroy();
                err.println("coreset bench: " + String.join(" ", cmd) + " failed");
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static int commonPrefix(int[] a, int[] b) {
        int i = 0;
        while (i < a.length && i < b.length && a[i] == b[i]) {
            i++;
        }
        return i;
    }

    private static double overlap(int[] a, int[] b) {
        java.util.HashSet<Integer> s = new java.util.HashSet<>();
        for (int v : a) {
            s.add(v);
        }
        int c = 0;
        for (int v : b) {
            if (s.contains(v)) {
                c++;
            }
        }
        return (double) c / Math.max(1, b.length);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static String[] row(String method, String rows, double ratio, int size, double sec, double cov, String note) {
        return new String[] {method, rows, String.format(Locale.ROOT, "%.2f", ratio), Integer.toString(size),
            String.format(Locale.ROOT, "%.1f", sec), String.format(Locale.ROOT, "%.4f", cov), note};
    }

    static String formatTable(List<String[]> rows) {
        String[] head = {"method", "bank", "ratio", "picked", "seconds", "coverage", "note"};
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            w[i] = head[i].length();
            for (String[] r : rows) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        appendRow(b, head, w);
        String[] sep = new String[head.length];
        for (int i = 0; i < head.length; i++) {
            sep[i] = "-".repeat(w[i]);
        }
        appendRow(b, sep, w);
        for (String[] r : rows) {
            appendRow(b, r, w);
        }
        return b.toString();
    }

    private static void appendRow(StringBuilder b, String[] r, int[] w) {
        b.append("| ");
        for (int i = 0; i < r.length; i++) {
            b.append(String.format(Locale.ROOT, "%-" + w[i] + "s", r[i])).append(" | ");
        }
        b.setLength(b.length() - 1);
        b.append('\n');
    }

    // -------------------------------------------------------------------------------- .npy

    /** A minimal .npy reader/writer: little-endian float32 and int64, C order. */
    static final class Npy {
        final long[] shape;
        final float[] floats;
        final long[] longs;

        private Npy(long[] shape, float[] floats, long[] longs) {
            this.shape = shape;
            this.floats = floats;
            this.longs = longs;
        }

        static Npy read(Path file) throws IOException {
            try (InputStream raw = Files.newInputStream(file);
                    DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 20))) {
                byte[] magic = new byte[6];
                in.readFully(magic);
                if (magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
                    throw new IOException(file + ": not a .npy file");
                }
                int major = in.readUnsignedByte();
                in.readUnsignedByte();
                int hlen;
                if (major == 1) {
                    hlen = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
                } else {
                    hlen = Integer.reverseBytes(in.readInt());
                }
                byte[] h = new byte[hlen];
                in.readFully(h);
                String header = new String(h, StandardCharsets.ISO_8859_1);
                Matcher descr = Pattern.compile("'descr':\\s*'([^']+)'").matcher(header);
                Matcher fortran = Pattern.compile("'fortran_order':\\s*(True|False)").matcher(header);
                Matcher shapeM = Pattern.compile("'shape':\\s*\\(([^)]*)\\)").matcher(header);
                if (!descr.find() || !fortran.find() || !shapeM.find()) {
                    throw new IOException(file + ": unreadable .npy header " + header.strip());
                }
                if (fortran.group(1).equals("True")) {
                    throw new IOException(file + ": Fortran-ordered arrays are not supported");
                }
                long[] shape = Arrays.stream(shapeM.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .mapToLong(Long::parseLong).toArray();
                long count = 1;
                for (long s : shape) {
                    count *= s;
                }
                if (count > Integer.MAX_VALUE - 8) {
                    throw new IOException(file + ": too large for one Java array (" + count + " values)");
                }
                String dt = descr.group(1);
                if (dt.equals("<f4")) {
                    float[] v = new float[(int) count];
                    byte[] buf = new byte[1 << 20];
                    int i = 0;
                    while (i < v.length) {
                        int nb = (int) Math.min(buf.length, (long) (v.length - i) * 4);
                        in.readFully(buf, 0, nb);
                        ByteBuffer.wrap(buf, 0, nb).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v, i, nb / 4);
                        i += nb / 4;
                    }
                    return new Npy(shape, v, null);
                }
                if (dt.equals("<i8")) {
                    long[] v = new long[(int) count];
                    byte[] buf = new byte[(int) count * 8];
                    in.readFully(buf);
                    ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(v);
                    return new Npy(shape, null, v);
                }
                throw new IOException(file + ": dtype " + dt + " not supported (float32 '<f4' or int64 '<i8')");
            }
        }

        static void writeFloats(Path file, float[] v, int rows, int cols) throws IOException {
            String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
            int total = 10 + dict.length() + 1;
            int pad = (64 - total % 64) % 64;
            String header = dict + " ".repeat(pad) + "\n";
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer hb = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
                hb.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
                hb.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII)).flip();
                while (hb.hasRemaining()) {
                    ch.write(hb);
                }
                ByteBuffer buf = ByteBuffer.allocate(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
                int i = 0;
                while (i < v.length) {
                    int nv = Math.min(v.length - i, buf.capacity() / 4);
                    buf.clear();
                    buf.asFloatBuffer().put(v, i, nv);
                    buf.limit(nv * 4);
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    i += nv;
                }
            }
        }
    }
}
