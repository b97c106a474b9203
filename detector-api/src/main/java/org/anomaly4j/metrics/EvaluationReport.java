package org.anomaly4j.metrics;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;

/**
 * The outcome of evaluating one detector on one test set: image metrics (AUROC, AUPR, F1-max and
 * its threshold), pixel metrics (pixel AUROC, AUPRO to 30% FPR; NaN when the detector gives no
 * maps or the test set has no masks), timings, sizes, one row per defect type, and free extra
 * values (say {@code "peak_memory_mb"}).
 *
 * <p>All AUROC-like values are fractions in [0,1]; {@link #formatTable} shows them as percent.
 * Unknown values are NaN (doubles) or -1 (counts) here and {@code null} in {@link #toMap()}.
 *
 * @param method                the detector or method name
 * @param dataset               the test set's name
 * @param imageAuroc            image-level AUROC
 * @param imageAupr             image-level average precision
 * @param f1Max                 image-level maximum F1
 * @param f1Threshold           the raw score reaching {@code f1Max} (anomalous when {@code >=})
 * @param pixelAuroc            pixel-level AUROC, NaN when absent
 * @param aupro                 AUPRO up to 30% FPR, NaN when absent
 * @param fitSeconds            time to fit, NaN when unknown
 * @param scoreImagesPerSecond  scoring throughput on the test set
 * @param trainImages           training images, -1 when unknown
 * @param testImages            test images
 * @param perType               AUROC of normal images against each defect type
 * @param extra                 further values (String, Number or Boolean), in insertion order,
 *                              written after the standard keys
 */
public record EvaluationReport(String method, String dataset, double imageAuroc, double imageAupr, double f1Max,
        double f1Threshold, double pixelAuroc, double aupro, double fitSeconds, double scoreImagesPerSecond,
        int trainImages, int testImages, List<DefectRow> perType, Map<String, Object> extra) {

    /** The scalar keys of {@link #toMap()}, in order: the CSV header (extra keys follow). */
    public static final List<String> SCALAR_KEYS = List.of("method", "dataset", "image_auroc", "image_aupr", "f1_max",
            "f1_threshold", "pixel_auroc", "aupro", "fit_seconds", "score_images_per_second", "train_images",
            "test_images");

    private static final Set<String> RESERVED;

    static {
        Set<String> r = new LinkedHashSet<>(SCALAR_KEYS);
        r.add("per_type");
        RESERVED = Collections.unmodifiableSet(r);
    }

    /**
     * One defect type: how many test images it has and the image AUROC of the normal test images
     * against the images of this type alone.
     */
    public record DefectRow(String type, int count, double imageAuroc) {
        public DefectRow {
            Objects.requireNonNull(type, "type");
            if (count < 0) {
                throw new IllegalArgumentException("count must be >= 0, got " + count);
            }
        }

        /** {@code type}, {@code count}, {@code image_auroc} (null when undefined). */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", type);
            m.put("count", count);
            m.put("image_auroc", finiteOrNull(imageAuroc));
            return m;
        }
    }

    public EvaluationReport {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(dataset, "dataset");
        if (testImages < 0) {
            throw new IllegalArgumentException("testImages must be >= 0, got " + testImages);
        }
        perType = List.copyOf(perType);
        Map<String, Object> e = new LinkedHashMap<>();
        extra.forEach((k, v) -> {
            Objects.requireNonNull(k, "extra key");
            if (RESERVED.contains(k)) {
                throw new IllegalArgumentException("extra key '" + k + "' clashes with a standard key");
            }
            if (v != null && !(v instanceof String || v instanceof Number || v instanceof Boolean)) {
                throw new IllegalArgumentException("extra value for '" + k + "' must be a String, Number or Boolean, got "
                        + v.getClass().getName());
            }
            e.put(k, v);
        });
        extra = Collections.unmodifiableMap(e);
    }

    /** A builder; method and dataset are required, every metric starts absent (NaN). */
    public static Builder builder(String method, String dataset) {
        return new Builder(method, dataset);
    }

    /** Whether pixel metrics were computed. */
    public boolean hasPixelMetrics() {
        return !Double.isNaN(pixelAuroc) || !Double.isNaN(aupro);
    }

    /** A copy with another method name (say "patchcore-r18" for a detector of type "patchcore"). */
    public EvaluationReport withMethod(String newMethod) {
        return new EvaluationReport(newMethod, dataset, imageAuroc, imageAupr, f1Max, f1Threshold, pixelAuroc, aupro,
                fitSeconds, scoreImagesPerSecond, trainImages, testImages, perType, extra);
    }

    /** A copy with one more (or a replaced) extra value. */
    public EvaluationReport withExtra(String key, Object value) {
        Map<String, Object> e = new LinkedHashMap<>(extra);
        e.put(key, value);
        return new EvaluationReport(method, dataset, imageAuroc, imageAupr, f1Max, f1Threshold, pixelAuroc, aupro,
                fitSeconds, scoreImagesPerSecond, trainImages, testImages, perType, e);
    }

    /**
     * The report as a JSON-ready map: the {@link #SCALAR_KEYS}, then {@code per_type} (a list of
     * {@link DefectRow#toMap()}), then the extra values. Absent values are {@code null}.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = scalarMap();
        List<Map<String, Object>> rows = new ArrayList<>(perType.size());
        for (DefectRow r : perType) {
            rows.add(r.toMap());
        }
        m.put("per_type", rows);
        extra.forEach((k, v) -> m.put(k, v instanceof Number n ? numberOrNull(n) : v));
        return m;
    }

    private Map<String, Object> scalarMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("dataset", dataset);
        m.put("image_auroc", finiteOrNull(imageAuroc));
        m.put("image_aupr", finiteOrNull(imageAupr));
        m.put("f1_max", finiteOrNull(f1Max));
        m.put("f1_threshold", finiteOrNull(f1Threshold));
        m.put("pixel_auroc", finiteOrNull(pixelAuroc));
        m.put("aupro", finiteOrNull(aupro));
        m.put("fit_seconds", finiteOrNull(fitSeconds));
        m.put("score_images_per_second", finiteOrNull(scoreImagesPerSecond));
        m.put("train_images", trainImages < 0 ? null : trainImages);
        m.put("test_images", testImages);
        return m;
    }

    /** Reads back a map written by {@link #toMap()} (for instance parsed from JSON). */
    public static EvaluationReport fromMap(Map<String, ?> m) {
        try {
            Builder b = builder(String.valueOf(m.get("method")), String.valueOf(m.get("dataset")))
                    .imageAuroc(dbl(m.get("image_auroc")))
                    .imageAupr(dbl(m.get("image_aupr")))
                    .f1(dbl(m.get("f1_max")), dbl(m.get("f1_threshold")))
                    .pixelAuroc(dbl(m.get("pixel_auroc")))
                    .aupro(dbl(m.get("aupro")))
                    .fitSeconds(dbl(m.get("fit_seconds")))
                    .scoreImagesPerSecond(dbl(m.get("score_images_per_second")))
                    .trainImages(m.get("train_images") == null ? -1 : ((Number) m.get("train_images")).intValue())
                    .testImages(((Number) m.get("test_images")).intValue());
            if (m.get("per_type") instanceof List<?> rows) {
                for (Object o : rows) {
                    Map<?, ?> r = (Map<?, ?>) o;
                    b.addDefectRow(new DefectRow(String.valueOf(r.get("type")), ((Number) r.get("count")).intValue(),
                            dbl(r.get("image_auroc"))));
                }
            }
            m.forEach((k, v) -> {
                if (!RESERVED.contains(k)) {
                    b.extra(k, v);
                }
            });
            return b.build();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed evaluation report: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ JSON, CSV, table

    private static Gson gson() {
        return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();
    }

    /** The reports as a pretty-printed JSON array of {@link #toMap()} objects. */
    public static String toJson(List<EvaluationReport> reports) {
        List<Map<String, Object>> out = new ArrayList<>(reports.size());
        for (EvaluationReport r : reports) {
            out.add(r.toMap());
        }
        return gson().toJson(out);
    }

    /** Writes {@link #toJson} to {@code file} (UTF-8), creating parent directories. */
    public static void writeJson(List<EvaluationReport> reports, Path file) throws IOException {
        createParent(file);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(toJson(reports));
            w.write('\n');
        }
    }

    /** Reads reports written by {@link #writeJson}. */
    public static List<EvaluationReport> readJson(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            List<Map<String, Object>> maps = gson().fromJson(r, new TypeToken<List<Map<String, Object>>>() { }.getType());
            if (maps == null) {
                throw new IOException(file + ": empty report file");
            }
            List<EvaluationReport> out = new ArrayList<>(maps.size());
            for (Map<String, Object> m : maps) {
                out.add(fromMap(m));
            }
            return out;
        } catch (JsonParseException | IllegalArgumentException | ClassCastException e) {
            throw new IOException(file + ": not a list of evaluation reports: " + e.getMessage(), e);
        }
    }

    /**
     * CSV, one row per report: the header is the {@link #SCALAR_KEYS} followed by every extra key
     * of any report (first-seen order); absent values are empty cells, numbers are written in full
     * precision, per-type rows are left out (they are in the JSON).
     */
    public static String toCsv(List<EvaluationReport> reports) {
        Set<String> extraKeys = new LinkedHashSet<>();
        for (EvaluationReport r : reports) {
            extraKeys.addAll(r.extra.keySet());
        }
        StringBuilder sb = new StringBuilder();
        List<String> header = new ArrayList<>(SCALAR_KEYS);
        header.addAll(extraKeys);
        appendCsvRow(sb, new ArrayList<>(header));
        for (EvaluationReport r : reports) {
            Map<String, Object> m = r.scalarMap();
            List<Object> row = new ArrayList<>(header.size());
            for (String k : SCALAR_KEYS) {
                row.add(m.get(k));
            }
            for (String k : extraKeys) {
                Object v = r.extra.get(k);
                row.add(v instanceof Number n ? numberOrNull(n) : v);
            }
            appendCsvRow(sb, row);
        }
        return sb.toString();
    }

    /** Writes {@link #toCsv} to {@code file} (UTF-8), creating parent directories. */
    public static void writeCsv(List<EvaluationReport> reports, Path file) throws IOException {
        createParent(file);
        Files.writeString(file, toCsv(reports), StandardCharsets.UTF_8);
    }

    private static void appendCsvRow(StringBuilder sb, List<Object> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Object v = cells.get(i);
            if (v == null) {
                continue;
            }
            String s = String.valueOf(v);
            if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                s = '"' + s.replace("\"", "\"\"") + '"';
            }
            sb.append(s);
        }
        sb.append('\n');
    }

    /**
     * A fixed-width console table, one line per report: AUROC, AUPR, F1-max and AUPRO as percent
     * with two decimals, "-" where absent.
     */
    public static String formatTable(List<EvaluationReport> reports) {
        String[] head = {"method", "dataset", "img AUROC", "img AUPR", "F1-max", "pix AUROC", "AUPRO", "fit s",
            "img/s", "train", "test"};
        List<String[]> rows = new ArrayList<>();
        rows.add(head);
        for (EvaluationReport r : reports) {
            rows.add(new String[] {r.method, r.dataset, pct(r.imageAuroc), pct(r.imageAupr), pct(r.f1Max),
                pct(r.pixelAuroc), pct(r.aupro), num(r.fitSeconds, 1), num(r.scoreImagesPerSecond, 1),
                r.trainImages < 0 ? "-" : Integer.toString(r.trainImages), Integer.toString(r.testImages)});
        }
        return table(rows, 2);
    }

    /**
     * A fixed-width table of the per-defect-type image AUROC: one line per report and type
     * ({@code method, dataset, type, count, AUROC %}).
     */
    public static String formatDefectTable(List<EvaluationReport> reports) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"method", "dataset", "defect type", "images", "img AUROC"});
        for (EvaluationReport r : reports) {
            for (DefectRow d : r.perType) {
                rows.add(new String[] {r.method, r.dataset, d.type(), Integer.toString(d.count()), pct(d.imageAuroc())});
            }
        }
        return table(rows, 2);
    }

    /** Columns padded to their widest cell; the first {@code textColumns} left-aligned, the rest right. */
    private static String table(List<String[]> rows, int textColumns) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int c = 0; c < cols; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                if (c > 0) {
                    line.append("  ");
                }
                String pad = " ".repeat(width[c] - r[c].length());
                line.append(c < textColumns ? r[c] + pad : pad + r[c]);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
            if (i == 0) {
                int total = 0;
                for (int c = 0; c < cols; c++) {
                    total += width[c] + (c > 0 ? 2 : 0);
                }
                sb.append("-".repeat(total)).append('\n');
            }
        }
        return sb.toString();
    }

    private static String pct(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", 100 * v) : "-";
    }

    private static String num(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "-";
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static Number numberOrNull(Number n) {
        return (n instanceof Double || n instanceof Float) && !Double.isFinite(n.doubleValue()) ? null : n;
    }

    private static double dbl(Object o) {
        return o == null ? Double.NaN : ((Number) o).doubleValue();
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    /** Builds an {@link EvaluationReport}; every metric starts absent. */
    public static final class Builder {
        private final String method;
        private final String dataset;
        private double imageAuroc = Double.NaN;
        private double imageAupr = Double.NaN;
        private double f1Max = Double.NaN;
        private double f1Threshold = Double.NaN;
        private double pixelAuroc = Double.NaN;
        private double aupro = Double.NaN;
        private double fitSeconds = Double.NaN;
        private double scoreImagesPerSecond = Double.NaN;
        private int trainImages = -1;
        private int testImages;
        private final List<DefectRow> perType = new ArrayList<>();
        private final Map<String, Object> extra = new LinkedHashMap<>();

        private Builder(String method, String dataset) {
            this.method = Objects.requireNonNull(method, "method");
            this.dataset = Objects.requireNonNull(dataset, "dataset");
        }

        public Builder imageAuroc(double v) {
            imageAuroc = v;
            return this;
        }

        public Builder imageAupr(double v) {
            imageAupr = v;
            return this;
        }

        public Builder f1(double f1, double threshold) {
            f1Max = f1;
            f1Threshold = threshold;
            return this;
        }

        public Builder pixelAuroc(double v) {
            pixelAuroc = v;
            return this;
        }

        public Builder aupro(double v) {
            aupro = v;
            return this;
        }

        public Builder fitSeconds(double v) {
            fitSeconds = v;
            return this;
        }

        public Builder scoreImagesPerSecond(double v) {
            scoreImagesPerSecond = v;
            return this;
        }

        public Builder trainImages(int v) {
            trainImages = v;
            return this;
        }

        public Builder testImages(int v) {
            testImages = v;
            return this;
        }

        public Builder addDefectRow(DefectRow row) {
            perType.add(Objects.requireNonNull(row, "row"));
            return this;
        }

        public Builder extra(String key, Object value) {
            extra.put(key, value);
            return this;
        }

        public EvaluationReport build() {
            return new EvaluationReport(method, dataset, imageAuroc, imageAupr, f1Max, f1Threshold, pixelAuroc, aupro,
                    fitSeconds, scoreImagesPerSecond, trainImages, testImages, perType, extra);
        }
    }
}
