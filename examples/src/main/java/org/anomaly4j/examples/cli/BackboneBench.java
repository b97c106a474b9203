package org.anomaly4j.examples.cli;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.tensor.Backbone;
import org.anomaly4j.tensor.Backbones;
import org.anomaly4j.tensor.MobileNetV2;
import org.anomaly4j.tensor.Normalization;

/**
 * {@code anomaly4j bench backbone}: forward speed of a backbone (batch 16 at 224 x 224, 2 threads)
 * through every path, measured side by side in one run: PyTorch from Python (eager torchvision and
 * the TorchScript file, {@code tools/bench_backbone.py} as a subprocess), the same TorchScript
 * through DJL, and the built-in DJL architecture. Rounds interleave the candidates (one forward
 * each per round) so that load from other processes hits them alike. Optionally checks the built-in
 * MobileNetV2 against the shared reference model (feature maps and classifier top-5).
 */
final class BackboneBench implements Anomaly4jCli.Command {

    @Override
    public String help() {
        return String.join("\n",
                "usage: anomaly4j bench backbone [options]",
                "",
                "Images/s of a backbone forward (median of N interleaved rounds after warm-up) for: PyTorch",
                "from Python (torchvision eager, and the TorchScript file), the TorchScript file through DJL,",
                "and the built-in DJL architecture; with ratios. Without --torchscript, a random-weight",
                "torchvision export is made with tools/export_backbone.py into a temp dir.",
                "",
                "  --arch A[,B]          resnet18, mobilenet_v2, wide_resnet50_2, resnet34, resnet50",
                "                        (default resnet18,mobilenet_v2)",
                "  --torchscript FILE    the TorchScript feature extractor (one --arch only)",
                "  --safetensors FILE    weights for the built-in architecture (one --arch only; default random)",
                "  --iterations N        timed rounds (default 10; 0: only the --check-model check)   --warmup N (3)",
                "  --batch N (16)  --size S (224)  --threads T (2: DJL intra-op threads and torch.set_num_threads)",
                "  --python EXE          (default /usr/bin/python3)     --no-python  skip the Python reference",
                "  --djl-blocks on       also time ResNet-18 built from DJL's stock Conv2d/BatchNorm blocks",
                "  --check-model DIR     shared mobilenet_v2_imagenet dir: check the built-in MobileNetV2 against",
                "                        features.pt (on --images DIR, first --check-images N (4) files) and",
                "                        classifier.pt (top-5 on --photos DIR, e.g. /usr/share/darknet/data)",
                "  --out FILE            JSON report",
                "",
                "example: anomaly4j bench backbone --arch mobilenet_v2 \\",
                "           --torchscript ../shared/models/mobilenet_v2_imagenet/features.pt \\",
                "           --safetensors ../shared/models/mobilenet_v2_imagenet/mobilenet_v2.safetensors \\",
                "           --check-model ../shared/models/mobilenet_v2_imagenet \\",
                "           --images ../shared/data/mtd/MT_Free/Imgs --photos /usr/share/darknet/data --out bb.json");
    }

    /** One timed path: a name and a forward. */
    private record Candidate(String name, Forward forward) {
    }

    private interface Forward {
        double timeMs() throws IOException;
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws IOException {
        List<String> archs = Arrays.asList(args.get("arch", "resnet18,mobilenet_v2").split(","));
        String tsArg = args.get("torchscript", null);
        String stArg = args.get("safetensors", null);
        int iterations = args.integer("iterations", 10);
        int warmup = args.integer("warmup", 3);
        int batch = args.integer("batch", 16);
        int size = args.integer("size", 224);
        int threads = args.integer("threads", 2);
        String python = args.get("python", "/usr/bin/python3");
        boolean noPython = args.has("no-python");
        boolean djlBlocks = args.get("djl-blocks", "off").equals("on");
        String reference = args.get("check-model", null);
        String images = args.get("images", null);
        String photos = args.get("photos", null);
        int checkImages = args.integer("check-images", 4);
        String outFile = args.get("out", null);
        boolean quiet = args.has("quiet");
        args.rejectUnknown();
        if ((tsArg != null || stArg != null) && archs.size() != 1) {
            throw new UsageException("--torchscript and --safetensors need exactly one --arch");
        }
        if (iterations < 0 || batch < 1 || size < 32 || threads < 1) {
            throw new UsageException("--batch, --threads must be positive, --iterations at least 0 (0: only the"
                    + " --check-model check) and --size at least 32");
        }
        Path tools = toolsDir();

        Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(threads);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "backbone");
        report.put("batch", batch);
        report.put("size", size);
        report.put("threads", threads);
        report.put("djl_threads", JniUtils.getNumThreads());
        report.put("iterations", iterations);
        report.put("warmup", warmup);
        StringBuilder cmd = new StringBuilder("anomaly4j bench backbone --arch " + String.join(",", archs));
        cmd.append(tsArg == null ? "" : " --torchscript " + tsArg).append(stArg == null ? "" : " --safetensors " + stArg)
                .append(" --iterations ").append(iterations).append(" --warmup ").append(warmup).append(" --batch ")
                .append(batch).append(" --size ").append(size).append(" --threads ").append(threads)
                .append(noPython ? " --no-python" : "").append(djlBlocks ? " --djl-blocks on" : "")
                .append(reference == null ? "" : " --check-model " + reference).append(images == null ? "" : " --images " + images)
                .append(photos == null ? "" : " --photos " + photos);
        report.put("command", cmd.toString());
        List<Map<String, Object>> rows = new ArrayList<>();
        report.put("results", rows);

        Path tmp = Files.createTempDirectory("a4j-bench-backbone");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray x = manager.randomNormal(0, 1, new Shape(batch, 3, size, size), DataType.FLOAT32);
            for (String arch : iterations == 0 ? List.<String>of() : archs) {
                if (!Backbones.BUILT_IN.contains(arch)) {
                    throw new UsageException("unknown --arch " + arch + "; known: " + Backbones.BUILT_IN);
                }
                Path ts = tsArg != null ? Path.of(tsArg) : null;
                if (ts == null && !noPython) {
                    ts = tmp.resolve(arch + ".pt");
                    if (!quiet) {
                        err.println("exporting torchvision " + arch + " (random weights) to TorchScript...");
                    }
                    exec(List.of(python, tools.resolve("export_backbone.py").toString(), "--arch", arch, "--weights",
                            "none", "--out", ts.toString()), err);
                }
                String builtInSpec = arch + (stArg != null ? ":" + stArg : "");
                rows.addAll(benchArch(arch, ts, builtInSpec, x, manager, iterations, warmup, threads, python, tools,
                        noPython, djlBlocks && arch.equals("resnet18"), quiet, err));
            }
        } finally {
            try (Stream<Path> s = Files.walk(tmp)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        out.println();
        out.println(cmd);
        if (!rows.isEmpty()) {
            printTable(rows, out);
        }
        if (reference != null) {
            report.put("correctness", checkReference(Path.of(reference), images == null ? null : Path.of(images),
                    photos == null ? null : Path.of(photos), checkImages, noPython ? null : python, tools, out));
        }
        if (outFile != null) {
            Files.writeString(Path.of(outFile), new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
                    .create().toJson(report));
            out.println("wrote " + outFile);
        }
        return 0;
    }

    private List<Map<String, Object>> benchArch(String arch, Path ts, String builtInSpec, NDArray x, NDManager manager,
            int iterations, int warmup, int threads, String python, Path tools, boolean noPython, boolean djlBlocks,
            boolean quiet, PrintStream err) throws IOException {
        List<Candidate> cands = new ArrayList<>();
        List<AutoCloseable> closeMe = new ArrayList<>();
        PythonServer py = null;
        try {
            if (!noPython) {
                List<String> cmd = new ArrayList<>(List.of(python, tools.resolve("bench_backbone.py").toString(), "--arch",
                        arch, "--serve", "--warmup", String.valueOf(warmup), "--threads", String.valueOf(threads),
                        "--batch", String.valueOf(x.getShape().get(0)), "--size", String.valueOf(x.getShape().get(2))));
                if (ts != null) {
                    cmd.addAll(List.of("--torchscript", ts.toString()));
                }
                if (!quiet) {
                    err.println(arch + ": starting the Python reference...");
                }
                py = new PythonServer(cmd);
                closeMe.add(py);
                PythonServer p = py;
                cands.add(new Candidate("python eager (torch " + py.torchVersion + ")", () -> p.time("eager")));
                cands.add(new Candidate("python eager channels-last", () -> p.time("eager_cl")));
                if (ts != null) {
                    cands.add(new Candidate("python torchscript", () -> p.time("torchscript")));
                    cands.add(new Candidate("python torchscript ch-last", () -> p.time("torchscript_cl")));
                }
            }
            if (ts != null) {
                Backbone b = Backbones.torchScript(ts, Device.cpu());
                closeMe.add(b);
                cands.add(new Candidate("djl torchscript", () -> timeBackbone(b, manager, x)));
            }
            Backbone builtIn = Backbones.parse(builtInSpec, 0, Device.cpu());
            closeMe.add(builtIn);
            cands.add(new Candidate("built-in (DJL, folded BN)", () -> timeBackbone(builtIn, manager, x)));
            if (djlBlocks) {
                Block stock = StockResNet18.build(manager, x.getShape());
                ParameterStore ps = new ParameterStore(manager, false);
                cands.add(new Candidate("djl stock blocks", () -> {
                    try (NDManager m = manager.newSubManager()) {
                        long t0 = System.nanoTime();
                        stock.forward(ps, new NDList(x), false);
                        return (System.nanoTime() - t0) / 1e6;
                    }
                }));
            }
            if (!quiet) {
                err.println(arch + ": warm-up...");
            }
            for (Candidate c : cands) {
                if (!c.name.startsWith("python")) {
                    for (int i = 0; i < warmup; i++) {
                        c.forward.timeMs();
                    }
                }
            }
            Map<String, double[]> times = new LinkedHashMap<>();
            for (Candidate c : cands) {
                times.put(c.name, new double[iterations]);
            }
            for (int it = 0; it < iterations; it++) {
                for (Candidate c : cands) {
                    times.get(c.name)[it] = c.forward.timeMs();
                }
                if (!quiet) {
                    err.printf(Locale.ROOT, "%s: round %d/%d%n", arch, it + 1, iterations);
                }
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Map.Entry<String, double[]> e : times.entrySet()) {
                double[] t = e.getValue().clone();
                Arrays.sort(t);
                double med = t.length % 2 == 1 ? t[t.length / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("arch", arch);
                row.put("path", e.getKey());
                row.put("median_ms", med);
                row.put("min_ms", t[0]);
                row.put("images_per_s", x.getShape().get(0) * 1000.0 / med);
                row.put("times_ms", e.getValue());
                rows.add(row);
            }
            return rows;
        } finally {
            for (int i = closeMe.size() - 1; i >= 0; i--) {
                try {
                    closeMe.get(i).close();
                } catch (Exception e) {
                    err.println("closing: " + e);
                }
            }
        }
    }

    private static double timeBackbone(Backbone b, NDManager manager, NDArray x) {
        try (NDManager m = manager.newSubManager()) {
            long t0 = System.nanoTime();
            b.features(m, x);
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    /**
     * Prints the table. Ratios are speed ratios (higher = this path is faster): from the medians,
     * and "paired": the median over rounds of the per-round ratio, which cancels load that drifts
     * from round to round on a shared machine.
     */
    private static void printTable(List<Map<String, Object>> rows, PrintStream out) {
        out.printf(Locale.ROOT, "%-13s %-30s %9s %8s %7s %17s %17s%n", "arch", "path", "median ms", "min ms",
                "img/s", "vs py eager (pr)", "vs djl ts (pr)");
        for (Map<String, Object> r : rows) {
            Map<String, Object> eager = ref(rows, r.get("arch"), "python eager (");
            Map<String, Object> ts = ref(rows, r.get("arch"), "djl torchscript");
            double v = (double) r.get("images_per_s");
            String e = ratios(r, eager, "python_eager");
            String t = ratios(r, ts, "djl_torchscript");
            out.printf(Locale.ROOT, "%-13s %-30s %9.1f %8.1f %7.1f %17s %17s%n", r.get("arch"), r.get("path"),
                    (double) r.get("median_ms"), (double) r.get("min_ms"), v, e, t);
        }
        out.println("ratios: speed relative to the reference, from the medians (in brackets: the median of the"
                + " per-round ratios, which cancels drifting load)");
        for (Map<String, Object> r : rows) {
            if (r.get("path").equals("djl torchscript")) {
                Map<String, Object> best = null;
                for (Map<String, Object> o : rows) {
                    if (o.get("arch").equals(r.get("arch")) && ((String) o.get("path")).startsWith("python")
                            && (best == null || (double) o.get("images_per_s") > (double) best.get("images_per_s"))) {
                        best = o;
                    }
                }
                Map<String, Object> pyTs = ref(rows, r.get("arch"), "python torchscript");
                if (pyTs != null) {
                    out.printf(Locale.ROOT, "%s: djl torchscript vs python torchscript %s; vs the fastest python path (%s) %s%n",
                            r.get("arch"), ratios(r, pyTs, "python_torchscript"), best.get("path"),
                            ratios(r, best, "fastest_python"));
                }
            }
        }
    }

    /** "1.23x (1.25x)": median ratio and paired ratio of {@code row} over {@code ref}; also stored in the row. */
    private static String ratios(Map<String, Object> row, Map<String, Object> ref, String key) {
        if (ref == null) {
            return "-";
        }
        double plain = (double) row.get("images_per_s") / (double) ref.get("images_per_s");
        double[] a = (double[]) row.get("times_ms");
        double[] b = (double[]) ref.get("times_ms");
        double[] per = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            per[i] = b[i] / a[i];
        }
        Arrays.sort(per);
        double paired = per.length % 2 == 1 ? per[per.length / 2] : (per[per.length / 2 - 1] + per[per.length / 2]) / 2;
        row.put("ratio_vs_" + key, plain);
        row.put("paired_ratio_vs_" + key, paired);
        return String.format(Locale.ROOT, "%.2fx (%.2fx)", plain, paired);
    }

    private static Map<String, Object> ref(List<Map<String, Object>> rows, Object arch, String prefix) {
        for (Map<String, Object> r : rows) {
            if (r.get("arch").equals(arch) && ((String) r.get("path")).startsWith(prefix)) {
                return r;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ correctness on the real model

    /** The README's float32 top-5 for dog.jpg (torchvision preprocessing with PIL). */
    private static final List<String> README_DOG_TOP5 =
            List.of("malamute", "Eskimo dog", "dogsled", "Siberian husky", "bicycle-built-for-two");

    private static Map<String, Object> checkReference(Path dir, Path images, Path photos, int n, String python,
            Path tools, PrintStream out) throws IOException {
        Map<String, Object> res = new LinkedHashMap<>();
        Path st = dir.resolve("mobilenet_v2.safetensors");
        Path features = dir.resolve("features.pt");
        Normalization norm = Normalization.imagenet();
        out.println();
        out.println("correctness: built-in mobilenet_v2:" + st + " vs " + dir.getFileName() + "/*.pt");
        try (MobileNetV2 net = Backbones.mobileNetV2(st, Device.cpu());
                Backbone ref = Backbones.torchScript(features, Device.cpu());
                NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            if (images != null) {
                List<Path> files;
                try (Stream<Path> s = Files.list(images)) {
                    files = s.filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(".jpg")).sorted().limit(n)
                            .toList();
                }
                List<AnomalyImage> imgs = new ArrayList<>();
                for (Path f : files) {
                    imgs.add(preprocess(AnomalyImage.read(f)));
                }
                NDArray x = norm.batch(m, imgs);
                NDList a = net.features(m, x);
                NDList b = ref.features(m, x);
                List<Double> diffs = new ArrayList<>();
                for (int i = 0; i < a.size(); i++) {
                    double d = a.get(i).sub(b.get(i)).abs().max().getFloat();
                    diffs.add(d);
                    out.printf(Locale.ROOT, "  %-12s %-18s max |built-in - features.pt| = %.2g%n",
                            net.levels().get(i).name(), a.get(i).getShape(), d);
                }
                res.put("feature_images", files.stream().map(p -> p.getFileName().toString()).toList());
                res.put("feature_max_abs_diff", diffs);
            }
            if (photos != null) {
                res.put("top5", checkPhotos(net, dir, photos, python, tools, m, out));
            }
        }
        return res;
    }

    /**
     * Top-5 of the built-in MobileNetV2's classifier against classifier.pt on each photo, preprocessed
     * in Java (AnomalyImage) and, with Python, exactly as torchvision/PIL do (the README's figures).
     */
    private static List<Map<String, Object>> checkPhotos(MobileNetV2 net, Path dir, Path photos, String python,
            Path tools, NDManager m, PrintStream out) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("imagenet_labels.txt"));
        List<String> labels = lines.subList(1, lines.size()); // line 1 is "background"
        List<Path> files;
        try (Stream<Path> s = Files.list(photos)) {
            files = s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
        }
        Path pil = null;
        if (python != null) {
            pil = Files.createTempDirectory("a4j-pil");
            List<String> cmd = new ArrayList<>(List.of(python, tools.resolve("bench_backbone.py").toString(),
                    "--pil-preprocess", pil.toString()));
            files.forEach(f -> cmd.add(f.toString()));
            exec(cmd, out);
        }
        List<Map<String, Object>> tops = new ArrayList<>();
        try (Model classifier = Model.newInstance("classifier", Device.cpu(), "PyTorch")) {
            classifier.load(dir, "classifier");
            ParameterStore ps = new ParameterStore(m, false);
            for (Path f : files) {
                Map<String, NDArray> inputs = new LinkedHashMap<>();
                inputs.put("java", Normalization.imagenet().batch(m, List.of(preprocess(AnomalyImage.read(f)))));
                String stem = f.getFileName().toString().replaceFirst("\\.jpg$", "");
                if (pil != null) {
                    byte[] raw = Files.readAllBytes(pil.resolve(stem + ".f32"));
                    float[] v = new float[raw.length / 4];
                    java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
                    inputs.put("pil", m.create(v, new Shape(1, 3, 224, 224)));
                }
                for (Map.Entry<String, NDArray> in : inputs.entrySet()) {
                    NDArray x = in.getValue();
                    NDArray ourLogits = net.logits(m, x);
                    float[] ours = ourLogits.toFloatArray();
                    float[] prob = ourLogits.softmax(1).toFloatArray();
                    float[] theirs = classifier.getBlock().forward(ps, new NDList(x), false).singletonOrThrow()
                            .toFloatArray();
                    int[] t1 = top5(ours);
                    boolean same = Arrays.equals(t1, top5(theirs));
                    double maxDiff = 0;
                    for (int i = 0; i < ours.length; i++) {
                        maxDiff = Math.max(maxDiff, Math.abs(ours[i] - theirs[i]));
                    }
                    List<String> names = new ArrayList<>();
                    StringBuilder shown = new StringBuilder();
                    for (int k : t1) {
                        String name = labels.get(k).split(",")[0];
                        names.add(name);
                        shown.append(shown.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT, "%s %.2f", name, prob[k]));
                    }
                    String readme = stem.equals("dog") && in.getKey().equals("pil")
                            ? (names.equals(README_DOG_TOP5) ? "  [= README]" : "  [README: " + README_DOG_TOP5 + "]") : "";
                    out.printf(Locale.ROOT, "  %-12s %-4s top-5 %s  %s classifier.pt (max |logit diff| %.2g)%s%n",
                            f.getFileName(), in.getKey(), shown, same ? "==" : "!=", maxDiff, readme);
                    Map<String, Object> t = new LinkedHashMap<>();
                    t.put("photo", f.getFileName().toString());
                    t.put("preprocessing", in.getKey());
                    t.put("top5", names);
                    t.put("same_top5_order_as_classifier_pt", same);
                    t.put("max_abs_logit_diff", maxDiff);
                    tops.add(t);
                }
            }
        } catch (MalformedModelException e) {
            throw new IOException("cannot load " + dir.resolve("classifier.pt") + ": " + e.getMessage(), e);
        } finally {
            if (pil != null) {
                try (Stream<Path> s = Files.walk(pil)) {
                    s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        return tops;
    }

    /** The reference preprocessing: shorter side to 256 (bilinear), centre crop 224, RGB. */
    private static AnomalyImage preprocess(AnomalyImage img) {
        int w = img.width();
        int h = img.height();
        int nw = w <= h ? 256 : (int) (256L * w / h); // torchvision's Resize(256) truncates the long side
        int nh = w <= h ? (int) (256L * h / w) : 256;
        return img.withChannels(3).resize(nw, nh).centerCrop(224, 224);
    }

    private static int[] top5(float[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Float.compare(v[b], v[a]));
        return Arrays.stream(idx).limit(5).mapToInt(Integer::intValue).toArray();
    }

    // ------------------------------------------------------------------ helpers

    /** tools/ next to the working directory, or above the classes' location (examples/target/classes). */
    private static Path toolsDir() {
        Path cwd = Path.of("tools");
        if (Files.isRegularFile(cwd.resolve("bench_backbone.py"))) {
            return cwd.toAbsolutePath();
        }
        try {
            Path p = Path.of(BackboneBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path d = p; d != null; d = d.getParent()) {
                if (Files.isRegularFile(d.resolve("tools/bench_backbone.py"))) {
                    return d.resolve("tools");
                }
            }
        } catch (URISyntaxException | SecurityException e) {
            // fall through
        }
        return cwd.toAbsolutePath();
    }

    private static void exec(List<String> cmd, PrintStream err) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException("failed: " + String.join(" ", cmd) + "\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + cmd, e);
        }
    }

    /** tools/bench_backbone.py --serve: times forwards on request, one JSON line per answer. */
    private static final class PythonServer implements AutoCloseable {
        private final Process process;
        private final BufferedReader in;
        private final BufferedWriter outToPy;
        final String torchVersion;

        PythonServer(List<String> cmd) throws IOException {
            process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            outToPy = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            String ready = in.readLine();
            if (ready == null) {
                throw new IOException("the Python reference did not start: " + String.join(" ", cmd));
            }
            JsonObject o = JsonParser.parseString(ready).getAsJsonObject();
            torchVersion = o.get("torch").getAsString();
        }

        double time(String model) throws IOException {
            outToPy.write(model + " 1\n");
            outToPy.flush();
            String line = in.readLine();
            if (line == null) {
                throw new IOException("the Python reference exited");
            }
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            if (o.has("error")) {
                throw new IOException("Python reference: " + o.get("error").getAsString());
            }
            return o.getAsJsonArray("times_ms").get(0).getAsDouble();
        }

        @Override
        public void close() throws IOException {
            try {
                outToPy.write("quit\n");
                outToPy.flush();
            } catch (IOException e) {
                // already gone
            }
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroy();
                }
            } catch (InterruptedException e) {
                process.destroy();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** ResNet-18 from DJL's stock blocks (Conv2d, BatchNorm, Activation, Pool): the "before" baseline. */
    private static final class StockResNet18 {
        static Block build(NDManager manager, Shape input) {
            SequentialBlock net = new SequentialBlock().add(convBn(64, 7, 2, true))
                    .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
            int[] ch = {64, 128, 256, 512};
            for (int i = 0; i < 4; i++) {
                net.add(basic(ch[i], i == 0 ? 1 : 2, i > 0)).add(basic(ch[i], 1, false));
            }
            net.initialize(manager, DataType.FLOAT32, input);
            return net;
        }

        private static Block convBn(int out, int k, int stride, boolean relu) {
            SequentialBlock b = new SequentialBlock().add(Conv2d.builder().setFilters(out).setKernelShape(new Shape(k, k))
                    .optStride(new Shape(stride, stride)).optPadding(new Shape(k / 2, k / 2)).optBias(false).build())
                    .add(BatchNorm.builder().build());
            return relu ? b.add(Activation::relu) : b;
        }

        private static Block basic(int out, int stride, boolean down) {
            SequentialBlock main = new SequentialBlock().add(convBn(out, 3, stride, true)).add(convBn(out, 3, 1, false));
            Block shortcut = down ? convBn(out, 1, stride, false) : Blocks.identityBlock();
            return new SequentialBlock().add(new ParallelBlock(
                    l -> new NDList(l.get(0).singletonOrThrow().add(l.get(1).singletonOrThrow())), List.of(main, shortcut)))
                    .add(Activation::relu);
        }
    }
}
