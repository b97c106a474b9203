package org.anomaly4j.examples.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.Detector;
import org.anomaly4j.api.DetectorConfig;
import org.anomaly4j.api.DetectorProvider;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.api.ImageScore;
import org.anomaly4j.api.InvalidConfigException;
import org.anomaly4j.api.Versions;
import org.anomaly4j.data.DatasetSplit;
import org.anomaly4j.data.IdxLayout;
import org.anomaly4j.data.LoadOptions;
import org.anomaly4j.metrics.Metrics;
import org.anomaly4j.tensor.Tensors;

/**
 * {@code anomaly4j bench fmnist}: the one-class Fashion-MNIST protocol (train on the training images
 * of one class, test on the whole test split, that class normal) for any registered image-level
 * detectors, with the scikit-learn reference ({@code run_fmnist.py}) run side by side, class by class,
 * in the same process tree so that the speed ratio is measured under the same machine load.
 */
final class FmnistBench implements Anomaly4jCli.Command {
    static final String DEFAULT_DATA = "/usr/share/datasets/fashion-mnist";
    static final String DEFAULT_REFERENCE_DIR = "../shared/reference";
    /** The four reference rows, as detectors with the reference's settings. */
    static final String DEFAULT_METHODS = "knn,kde:features=pixels:pca=50,"
            + "gmm:features=pixels:pca=50;components=5,ocsvm:nu=0.1";
    /**
     * {@code --methods selfsupervised}: the four self-supervised detectors (issue 7) sized for a 2-core CPU
     * (28x28 input, width-4/8 CNNs). GEOM uses the paper's 72 transformations (2 flips x 9 translations of
     * 7 px x 4 rotations), one epoch over all 6,000 images of the class, Dirichlet fitted on 2,000: about
     * 4 minutes per class on an idle 2-core machine. The other three train on a seeded subset.
     */
    static final String SELF_SUPERVISED_METHODS = "geom:size=28;flip=true;shift=auto;rotations=4;width=8;depth=3;"
            + "epochs=1;train_limit=0;dirichlet_limit=2000;batch_size=128;lr=0.001,"
            + "rotnet-trans:size=28;rotations=4;width=4;depth=3;epochs=1;train_limit=1000;batch_size=128;lr=0.001,"
            + "csi:size=28;width=8;depth=3;proj_dim=64;epochs=3;train_limit=2000;bank_limit=2000;batch_size=32;"
            + "lr=0.001,"
            + "ssd:size=28;width=8;depth=3;proj_dim=64;epochs=6;train_limit=3000;batch_size=64;lr=0.001";

    /** The reference rows of run_fmnist.py and the detector settings that compute the same algorithm. */
    private static final Map<String, Reference> REFERENCES = new LinkedHashMap<>();

    static {
        REFERENCES.put("knn", new Reference("knn", "knn", Map.of("features", "pixels", "k", "5",
                "aggregation", "mean")));
        REFERENCES.put("kde_iso", new Reference("kde_iso", "kde", Map.of("features", "pixels:pca=50",
                "bandwidth", "isotropic")));
        REFERENCES.put("kde_scott", new Reference("kde_scott", "kde", Map.of("features", "pixels:pca=50",
                "bandwidth", "scott")));
        REFERENCES.put("gmm", new Reference("gmm", "gmm", Map.of("features", "pixels:pca=50", "components", "5",
                "covariance_type", "full")));
        REFERENCES.put("ocsvm", new Reference("ocsvm", "ocsvm", Map.of("features", "pixels", "kernel", "rbf",
                "gamma", "scale", "nu", "0.1")));
    }

    /** A reference row and the detector parameters that reproduce it. */
    private record Reference(String name, String typeId, Map<String, String> params) {
    }

    /** One method to benchmark: its text, detector config and reference row (or null). */
    record Method(String text, DetectorConfig<?> config, String reference, boolean referenceMatches) {
    }

    /** One class's measurements of one method. */
    private static final class Row {
        int cls;
        double auroc = Double.NaN;
        double fitS = Double.NaN;
        double scoreS = Double.NaN;
        double totalS = Double.NaN;
        double refAuroc = Double.NaN;
        double refFitS = Double.NaN;
        double refScoreS = Double.NaN;
        double refTotalS = Double.NaN;
        String error;
        String refError;
        Map<String, String> notes = Map.of();

        double ratio() {
            return refTotalS / totalS;
        }
    }

    @Override
    public String help() {
        return String.join("\n",
                "usage: anomaly4j bench fmnist [options]",
                "",
                "One-class Fashion-MNIST: for each class, fit on its 6,000 training images, score the 10,000 test",
                "images (that class normal, the nine others anomalous) and report image AUROC and fit+score",
                "seconds (feature extraction included; the tensor engine is loaded before timing, as the",
                "reference's times exclude its imports). With --reference the scikit-learn reference",
                "(run_fmnist.py) runs side by side, class by class, and the speed ratio (reference s / ours s)",
                "is measured in the same run.",
                "",
                "options:",
                "  --data DIR             the four IDX files (default " + DEFAULT_DATA + ")",
                "  --methods LIST         detectors, comma-separated (default: the four reference rows,",
                "                         " + DEFAULT_METHODS + ")",
                "                         'selfsupervised' = the CPU-sized GEOM, rotnet-trans, CSI and SSD settings",
                "                         of the self-supervised benchmark (see the README)",
                "                         METHOD = TYPE[:NAME=VALUE[;NAME=VALUE...]], TYPE a registered detector",
                "                         ('anomaly4j list'); a value may itself hold ':' ',' and '=' (feature",
                "                         specs): a comma piece that does not start with a registered type",
                "                         continues the previous value. Quote the list (';' is special to shells).",
                "                         Bench-only parameter: reference=ROW|none (default: by type, kde by",
                "                         bandwidth: knn, kde_iso, kde_scott, gmm, ocsvm).",
                "                         e.g. 'knn,gmm:features=pixels:size=28,pca=50;components=5'",
                "  --classes LIST         classes to run (default 0,1,2,3,4,5,6,7,8,9)",
                "  --reference            also run the scikit-learn reference for each method and class",
                "                         (write --reference=true when it is the last option)",
                "  --reference-dir DIR    folder of run_fmnist.py (default " + DEFAULT_REFERENCE_DIR + ")",
                "  --python EXE           Python of the reference (default /usr/bin/python3)",
                "  --repeat N             run each (method, class) N times, ours and the reference alternately;",
                "                         times are the medians (default 1)",
                "  --out FILE             write the report as JSON",
                "  --quiet                no per-class lines while running");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws IOException {
        Options o = new Options(args);
        Path data = Path.of(o.get("data", DEFAULT_DATA));
        String methodsText = o.get("methods", null);
        String classesText = o.get("classes", "0,1,2,3,4,5,6,7,8,9");
        boolean noPython = o.flag("no-python");
        boolean reference = o.flag("reference") && !noPython;
        Path refDir = Path.of(o.get("reference-dir", DEFAULT_REFERENCE_DIR));
        String python = o.get("python", "/usr/bin/python3");
        int repeat = o.integer("repeat", 1);
        String outFile = o.get("out", null);
        boolean quiet = o.flag("quiet");
        o.rejectUnknown();
        if (repeat < 1 || repeat > 20) {
            throw new UsageException("--repeat must be in 1..20, got " + repeat);
        }
        List<Integer> classes = parseClasses(classesText);
        if ("selfsupervised".equals(methodsText)) {
            methodsText = SELF_SUPERVISED_METHODS;
        }
        List<Method> methods = parseMethods(methodsText == null ? DEFAULT_METHODS : methodsText, methodsText == null,
                err);
        if (methods.isEmpty()) {
            throw new UsageException("no method to run");
        }
        Path script = refDir.resolve("run_fmnist.py");
        if (reference && !Files.isRegularFile(script)) {
            throw new UsageException("--reference: no run_fmnist.py in " + refDir.toAbsolutePath()
                    + " (set --reference-dir)");
        }
        List<String> names = IdxLayout.classNames(data);
        out.printf(Locale.ROOT, "Fashion-MNIST one-class, %s, classes %s, %d method(s)%s%n", data, classes,
                methods.size(), reference ? ", scikit-learn reference side by side" : "");
        for (Method m : methods) {
            out.printf(Locale.ROOT, "  %-45s %s%s%n", m.text, m.config.toParameters(),
                    m.reference == null ? "" : "  reference: " + m.reference
                            + (m.referenceMatches ? "" : " (NOTE: settings differ from the reference's)"));
        }
        // load the tensor engine's native library before timing anything, as the reference's timings
        // exclude its Python imports; nothing else is warmed up
        Tensors.newRootManager().close();
        Map<Method, List<Row>> results = new LinkedHashMap<>();
        methods.forEach(m -> results.put(m, new ArrayList<>()));
        for (int c : classes) {
            long l0 = System.nanoTime();
            DatasetSplit split = IdxLayout.oneClass(data, c, LoadOptions.defaults());
            List<AnomalyImage> test = split.test().images();
            boolean[] y = new boolean[test.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = split.test().get(i).isAnomalous();
            }
            if (!quiet) {
                out.printf(Locale.ROOT, "class %d (%s): %d train, %d test, loaded in %.1f s%n", c, names.get(c),
                        split.train().size(), test.size(), (System.nanoTime() - l0) / 1e9);
            }
            for (Method m : methods) {
                Row row = new Row();
                row.cls = c;
                double[] fits = new double[repeat];
                double[] scores = new double[repeat];
                double[] refTotals = new double[repeat];
                double[] refFits = new double[repeat];
                double[] refScores = new double[repeat];
                for (int r = 0; r < repeat; r++) {
                    try {
                        long t0 = System.nanoTime();
                        try (Detector det = m.config.fit(split.train())) {
                            long t1 = System.nanoTime();
                            double[] s = det.scoreAll(test).stream().mapToDouble(ImageScore::score).toArray();
                            long t2 = System.nanoTime();
                            fits[r] = (t1 - t0) / 1e9;
                            scores[r] = (t2 - t1) / 1e9;
                            if (r == 0) {
                                row.auroc = Metrics.auroc(s, y);
                                row.notes = det.provenance().notes();
                            }
                        }
                    } catch (RuntimeException e) {
                        row.error = e.getClass().getSimpleName() + ": " + e.getMessage();
                        break;
                    }
                    if (reference && m.reference != null && row.refError == null) {
                        JsonObject ref = runReference(python, script, data, m.reference, c, err);
                        if (ref == null) {
                            row.refError = "reference run failed";
                        } else {
                            refFits[r] = ref.get("fit_s").getAsDouble();
                            refScores[r] = ref.get("score_s").getAsDouble();
                            refTotals[r] = ref.get("fit_plus_score_s").getAsDouble();
                            if (r == 0) {
                                row.refAuroc = ref.get("auroc").getAsDouble();
                            }
                        }
                    }
                }
                if (row.error == null) {
                    double[] totals = new double[repeat];
                    for (int r = 0; r < repeat; r++) {
                        totals[r] = fits[r] + scores[r];
                    }
                    row.fitS = median(fits);
                    row.scoreS = median(scores);
                    row.totalS = median(totals);
                    if (reference && m.reference != null && row.refError == null) {
                        row.refFitS = median(refFits);
                        row.refScoreS = median(refScores);
                        row.refTotalS = median(refTotals);
                    }
                }
                results.get(m).add(row);
                if (!quiet) {
                    if (row.error != null) {
                        out.printf(Locale.ROOT, "  %-45s FAILED: %s%n", m.text, row.error);
                    } else {
                        out.printf(Locale.ROOT, "  %-45s AUROC %.4f%s  %.2f s (fit %.2f + score %.2f)%s%n", m.text,
                                row.auroc, Double.isNaN(row.refAuroc) ? "" : String.format(Locale.ROOT,
                                        " (ref %.4f)", row.refAuroc), row.totalS, row.fitS, row.scoreS,
                                Double.isNaN(row.refTotalS) ? "" : String.format(Locale.ROOT,
                                        "  ref %.2f s  ratio %.2f", row.refTotalS, row.ratio()));
                    }
                }
            }
        }
        out.println();
        for (Method m : methods) {
            printTable(m, results.get(m), names, out);
        }
        printSummary(methods, results, out);
        if (outFile != null) {
            writeJson(Path.of(outFile), data, classes, reference, repeat, methods, results, names);
            out.println("report written to " + outFile);
        }
        return 0;
    }

    // ------------------------------------------------------------------ methods

    /** Parses the --methods list (see help()); unregistered types in the default list are skipped. */
    static List<Method> parseMethods(String text, boolean defaults, PrintStream err) {
        Set<String> types = new TreeSet<>();
        for (DetectorProvider p : Detectors.list()) {
            types.add(p.typeId());
        }
        List<String> texts = new ArrayList<>();
        for (String piece : text.split(",", -1)) {
            String head = piece.contains(":") ? piece.substring(0, piece.indexOf(':')) : piece;
            if (types.contains(head.trim()) || texts.isEmpty()) {
                texts.add(piece.trim());
            } else {
                texts.set(texts.size() - 1, texts.get(texts.size() - 1) + "," + piece);
            }
        }
        List<Method> out = new ArrayList<>();
        for (String t : texts) {
            if (t.isEmpty()) {
                throw new UsageException("--methods: empty method in '" + text + "'");
            }
            int colon = t.indexOf(':');
            String type = (colon < 0 ? t : t.substring(0, colon)).trim();
            if (!types.contains(type)) {
                if (defaults) {
                    err.println("fmnist bench: detector '" + type + "' is not registered here; skipped");
                    continue;
                }
                throw new UsageException("--methods: unknown detector '" + type + "' in '" + t + "'; registered: "
                        + String.join(", ", types));
            }
            Map<String, String> params = new LinkedHashMap<>();
            if (colon >= 0) {
                for (String kv : t.substring(colon + 1).split(";", -1)) {
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new UsageException("--methods: '" + kv + "' in '" + t + "' is not NAME=VALUE");
                    }
                    String key = kv.substring(0, eq).trim();
                    if (params.put(key, kv.substring(eq + 1).trim()) != null) {
                        throw new UsageException("--methods: parameter '" + key + "' given twice in '" + t + "'");
                    }
                }
            }
            String refName = params.remove("reference");
            DetectorConfig<?> config;
            try {
                config = Detectors.configure(type, params);
            } catch (InvalidConfigException e) {
                throw new UsageException("--methods '" + t + "': " + e.getMessage());
            }
            if (refName == null) {
                refName = defaultReference(type, config);
            } else if (refName.equals("none")) {
                refName = null;
            } else if (!REFERENCES.containsKey(refName)) {
                throw new UsageException("--methods '" + t + "': unknown reference row '" + refName + "'; known: "
                        + String.join(", ", REFERENCES.keySet()) + ", none");
            }
            boolean matches = refName != null && matchesReference(config, REFERENCES.get(refName));
            out.add(new Method(t, config, refName, matches));
        }
        return out;
    }

    private static String defaultReference(String type, DetectorConfig<?> config) {
        if (type.equals("kde")) {
            return "scott".equals(config.toParameters().get("bandwidth")) ? "kde_scott" : "kde_iso";
        }
        return REFERENCES.containsKey(type) ? type : null;
    }

    /** Whether the config equals the reference's settings (seeds aside). */
    private static boolean matchesReference(DetectorConfig<?> config, Reference ref) {
        if (!ref.typeId().equals(config.typeId())) {
            return false;
        }
        Map<String, String> a = new LinkedHashMap<>(config.toParameters());
        Map<String, String> b;
        try {
            b = new LinkedHashMap<>(Detectors.configure(ref.typeId(), ref.params()).toParameters());
        } catch (RuntimeException e) {
            return false;
        }
        a.remove("seed");
        b.remove("seed");
        return a.equals(b);
    }

    static List<Integer> parseClasses(String text) {
        Set<Integer> out = new LinkedHashSet<>();
        for (String s : text.split(",")) {
            try {
                int c = Integer.parseInt(s.trim());
                if (c < 0 || c >= IdxLayout.CLASSES) {
                    throw new NumberFormatException();
                }
                out.add(c);
            } catch (NumberFormatException e) {
                throw new UsageException("--classes takes integers in 0..9 separated by ',', got '" + text + "'");
            }
        }
        return List.copyOf(out);
    }

    // ------------------------------------------------------------------ the reference

    /** Runs run_fmnist.py for one method and class; its per-class record, or null on failure. */
    private static JsonObject runReference(String python, Path script, Path data, String method, int cls,
            PrintStream err) throws IOException {
        Path tmp = Files.createTempFile("fmnist-ref-", ".json");
        Files.delete(tmp); // run_fmnist.py merges into an existing file
        List<String> cmd = List.of(python, script.toAbsolutePath().toString(), "--data-dir",
                data.toAbsolutePath().toString(), "--method", method, "--classes", Integer.toString(cls), "--out",
                tmp.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .directory(script.toAbsolutePath().getParent().toFile());
        pb.environment().putIfAbsent("OMP_NUM_THREADS", "2");
        pb.environment().putIfAbsent("OPENBLAS_NUM_THREADS", "2");
        pb.environment().putIfAbsent("MKL_NUM_THREADS", "2");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            err.println("fmnist bench: cannot run " + python + ": " + e.getMessage());
            return null;
        }
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(3600, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroy();
                err.println("fmnist bench: reference " + method + " class " + cls + " failed:\n" + log);
                return null;
            }
            JsonObject doc = JsonParser.parseString(Files.readString(tmp)).getAsJsonObject();
            return doc.getAsJsonObject("methods").getAsJsonObject(method).getAsJsonObject("per_class")
                    .getAsJsonObject(Integer.toString(cls));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroy();
            return null;
        } catch (RuntimeException e) {
            err.println("fmnist bench: unreadable reference output for " + method + " class " + cls + ": " + e);
            return null;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    // ------------------------------------------------------------------ reports

    private static void printTable(Method m, List<Row> rows, List<String> names, PrintStream out) {
        boolean ref = rows.stream().anyMatch(r -> !Double.isNaN(r.refTotalS));
        out.printf(Locale.ROOT, "== %s%s%n", m.text, m.reference == null ? "" : "   (reference: " + m.reference
                + (m.referenceMatches ? ", same settings)" : ", settings differ)"));
        out.printf(Locale.ROOT, "%-5s %-12s %8s %8s %8s %8s %8s %8s %7s%n", "class", "name", "AUROC", "ref", "fit s",
                "score s", "total s", "ref s", "ratio");
        for (Row r : rows) {
            if (r.error != null) {
                out.printf(Locale.ROOT, "%-5d %-12s FAILED: %s%n", r.cls, names.get(r.cls), r.error);
                continue;
            }
            out.printf(Locale.ROOT, "%-5d %-12s %8.4f %8s %8.2f %8.2f %8.2f %8s %7s%n", r.cls, names.get(r.cls),
                    r.auroc, f4(r.refAuroc), r.fitS, r.scoreS, r.totalS, f2(r.refTotalS), f2(r.ratio()));
        }
        Summary s = summarise(rows);
        out.printf(Locale.ROOT, "%-18s %8.4f %8s %8s %8s %8.2f %8s %7s   (mean over classes; ratio = sum ref / sum ours)%n",
                "mean", s.auroc, f4(s.refAuroc), "", "", s.meanTotal, f2(s.refMeanTotal), f2(s.sumRatio));
        if (ref || rows.size() > 1) {
            out.printf(Locale.ROOT, "%-18s %8s %8s %8s %8s %8.2f %8s %7s   (medians; ratio = median of per-class)%n",
                    "median", "", "", "", "", s.medianTotal, f2(s.refMedianTotal), f2(s.medianRatio));
        }
        out.println();
    }

    private static void printSummary(List<Method> methods, Map<Method, List<Row>> results, PrintStream out) {
        out.println("== summary");
        out.printf(Locale.ROOT, "%-45s %8s %8s %9s %9s %7s%n", "method", "AUROC", "ref", "s/class", "ref s", "ratio");
        for (Method m : methods) {
            Summary s = summarise(results.get(m));
            String name = m.reference != null && !m.referenceMatches ? m.text + " *" : m.text;
            out.printf(Locale.ROOT, "%-45s %8s %8s %9s %9s %7s%n", name, f4(s.auroc), f4(s.refAuroc),
                    f2(s.medianTotal), f2(s.refMedianTotal), f2(s.medianRatio));
        }
        if (methods.stream().anyMatch(m -> m.reference != null && !m.referenceMatches)) {
            out.println("* settings differ from the reference row's (not the same algorithm on the same features)");
        }
        out.println("(AUROC: mean over classes; s/class: median fit+score seconds per class, feature extraction"
                + " included; ratio: median over classes of reference s / ours s, measured side by side)");
    }

    /** Aggregates of one method's rows (NaN where missing). */
    private record Summary(double auroc, double refAuroc, double meanTotal, double refMeanTotal, double medianTotal,
            double refMedianTotal, double sumRatio, double medianRatio, int classes) {
    }

    private static Summary summarise(List<Row> rows) {
        List<Row> ok = rows.stream().filter(r -> r.error == null).toList();
        if (ok.isEmpty()) {
            return new Summary(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, 0);
        }
        double[] auroc = ok.stream().mapToDouble(r -> r.auroc).toArray();
        double[] total = ok.stream().mapToDouble(r -> r.totalS).toArray();
        List<Row> withRef = ok.stream().filter(r -> !Double.isNaN(r.refTotalS)).toList();
        double refAuroc = Double.NaN;
        double refMean = Double.NaN;
        double refMedian = Double.NaN;
        double sumRatio = Double.NaN;
        double medianRatio = Double.NaN;
        if (withRef.size() == ok.size()) {
            refAuroc = mean(withRef.stream().mapToDouble(r -> r.refAuroc).toArray());
            double[] rt = withRef.stream().mapToDouble(r -> r.refTotalS).toArray();
            refMean = mean(rt);
            refMedian = median(rt);
            sumRatio = Arrays.stream(rt).sum() / Arrays.stream(total).sum();
            medianRatio = median(withRef.stream().mapToDouble(Row::ratio).toArray());
        }
        return new Summary(mean(auroc), refAuroc, mean(total), refMean, median(total), refMedian, sumRatio,
                medianRatio, ok.size());
    }

    private static void writeJson(Path file, Path data, List<Integer> classes, boolean reference, int repeat,
            List<Method> methods, Map<Method, List<Row>> results, List<String> names) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", "fmnist");
        doc.put("protocol", "one-class Fashion-MNIST: train on the training images of class c, test on all test "
                + "images (class c normal); fit+score seconds include feature extraction; the reference is "
                + "run_fmnist.py (scikit-learn), run side by side per class");
        doc.put("data", data.toAbsolutePath().toString());
        doc.put("classes", classes);
        doc.put("reference", reference);
        doc.put("repeat", repeat);
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("anomaly4j", Versions.library());
        env.put("djl", Versions.djl());
        env.put("engine", Versions.engine());
        env.put("java", System.getProperty("java.version"));
        env.put("cores", Runtime.getRuntime().availableProcessors());
        doc.put("env", env);
        List<Object> ms = new ArrayList<>();
        for (Method m : methods) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("method", m.text);
            e.put("type", m.config.typeId());
            e.put("parameters", m.config.toParameters());
            e.put("reference", m.reference);
            e.put("reference_same_settings", m.referenceMatches);
            Map<String, Object> per = new LinkedHashMap<>();
            for (Row r : results.get(m)) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("name", names.get(r.cls));
                if (r.error != null) {
                    x.put("error", r.error);
                } else {
                    x.put("auroc", r.auroc);
                    x.put("fit_s", r.fitS);
                    x.put("score_s", r.scoreS);
                    x.put("fit_plus_score_s", r.totalS);
                    x.put("notes", r.notes);
                    if (!Double.isNaN(r.refTotalS)) {
                        x.put("ref_auroc", r.refAuroc);
                        x.put("ref_fit_s", r.refFitS);
                        x.put("ref_score_s", r.refScoreS);
                        x.put("ref_fit_plus_score_s", r.refTotalS);
                        x.put("speed_ratio", r.ratio());
                    }
                    if (r.refError != null) {
                        x.put("ref_error", r.refError);
                    }
                }
                per.put(Integer.toString(r.cls), x);
            }
            e.put("per_class", per);
            Summary s = summarise(results.get(m));
            e.put("mean_auroc", nan(s.auroc));
            e.put("ref_mean_auroc", nan(s.refAuroc));
            e.put("mean_fit_plus_score_s", nan(s.meanTotal));
            e.put("median_fit_plus_score_s", nan(s.medianTotal));
            e.put("ref_mean_fit_plus_score_s", nan(s.refMeanTotal));
            e.put("ref_median_fit_plus_score_s", nan(s.refMedianTotal));
            e.put("speed_ratio_of_sums", nan(s.sumRatio));
            e.put("speed_ratio_median", nan(s.medianRatio));
            ms.add(e);
        }
        doc.put("methods", ms);
        Path abs = file.toAbsolutePath();
        if (abs.getParent() != null) {
            Files.createDirectories(abs.getParent());
        }
        Files.writeString(abs, new GsonBuilder().setPrettyPrinting().serializeNulls().serializeSpecialFloatingPointValues()
                .create().toJson(doc));
    }

    private static Object nan(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static String f4(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String f2(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    // ------------------------------------------------------------------ options

    /**
     * The parsed options, repairing one case: the bench dispatcher does not know {@code --reference} as a
     * flag, so {@code --reference --next value} arrives as reference="--next" with "value" positional.
     */
    private static final class Options {
        private static final Set<String> FLAGS = Set.of("quiet", "no-python", "help", "reference");
        private final Args args;
        private final Map<String, String> repaired = new LinkedHashMap<>();
        private boolean referenceOn;

        Options(Args args) {
            this.args = args;
            String v = args.get("reference", null);
            List<String> positional = new ArrayList<>(args.positional());
            if (v != null) {
                String t = v.toLowerCase(Locale.ROOT);
                if (Set.of("true", "yes", "on", "1").contains(t)) {
                    referenceOn = true;
                } else if (Set.of("false", "no", "off", "0").contains(t)) {
                    referenceOn = false;
                } else if (v.startsWith("--")) {
                    referenceOn = true;
                    String key = v.substring(2);
                    int eq = key.indexOf('=');
                    if (eq >= 0) {
                        repaired.put(key.substring(0, eq), key.substring(eq + 1));
                    } else if (FLAGS.contains(key)) {
                        repaired.put(key, "true");
                    } else if (!positional.isEmpty()) {
                        repaired.put(key, positional.remove(0));
                    } else {
                        throw new UsageException("option --" + key + " needs a value");
                    }
                } else {
                    throw new UsageException("--reference is a flag (or --reference=true|false), got '" + v + "'");
                }
            }
            if (!positional.isEmpty()) {
                throw new UsageException("unexpected argument(s) " + positional);
            }
        }

        String get(String key, String def) {
            String r = repaired.get(key);
            return r != null ? r : args.get(key, def);
        }

        boolean flag(String key) {
            if (key.equals("reference")) {
                return referenceOn;
            }
            return repaired.containsKey(key) || args.has(key);
        }

        int integer(String key, int def) {
            String v = get(key, null);
            try {
                return v == null ? def : Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--" + key + " must be an integer, got '" + v + "'");
            }
        }

        void rejectUnknown() {
            for (String k : repaired.keySet()) {
                if (!Set.of("data", "methods", "classes", "reference-dir", "python", "repeat", "out", "quiet",
                        "no-python").contains(k)) {
                    throw new UsageException("unknown option --" + k);
                }
            }
            args.rejectUnknown();
        }
    }
}
