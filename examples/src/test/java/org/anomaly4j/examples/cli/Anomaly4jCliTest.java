package org.anomaly4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.google.gson.Gson;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.anomaly4j.api.LabeledImage;
import org.anomaly4j.data.DatasetSplit;
import org.anomaly4j.metrics.Heatmaps;
import org.anomaly4j.testdata.SyntheticDefects;

class Anomaly4jCliTest {
    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Anomaly4jCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Writes a generated split in the CLI's folder layout. */
    private Path folderDataset() throws IOException {
        DatasetSplit s = SyntheticDefects.small(5);
        Path root = dir.resolve("data");
        for (LabeledImage li : s.train()) {
            Heatmaps.writePng(li.image().toBufferedImage(), root.resolve("train").resolve(name(li) + ".png"));
        }
        for (LabeledImage li : s.test()) {
            String sub = li.isAnomalous() ? "anomalous/" + li.defectType() : "normal";
            Heatmaps.writePng(li.image().toBufferedImage(), root.resolve("test/" + sub).resolve(name(li) + ".png"));
            if (li.isAnomalous()) {
                org.anomaly4j.api.Mask m = li.mask().orElseThrow();
                float[] px = new float[m.width() * m.height()];
                boolean[] b = m.toArray();
                for (int i = 0; i < px.length; i++) {
                    px[i] = b[i] ? 1f : 0f;
                }
                Heatmaps.writePng(org.anomaly4j.api.AnomalyImage.of(m.width(), m.height(), 1, px).toBufferedImage(),
                        root.resolve("masks").resolve(name(li) + "_mask.png"));
            }
        }
        return root;
    }

    private static String name(LabeledImage li) {
        return li.id().replaceAll("[^A-Za-z0-9_-]", "_");
    }

    @Test
    void givenNoArguments_whenRun_thenUsageAndStatusTwo() {
        Run r = cli();
        assertEquals(2, r.status());
        assertTrue(r.err().contains("usage: anomaly4j"), r.err());
    }

    @Test
    void givenEveryCommand_whenAskedForHelp_thenUsageLineAndStatusZero() {
        for (String c : List.of("demo", "list", "fit", "score", "eval")) {
            Run r = cli(c, "--help");
            assertEquals(0, r.status(), c);
            assertTrue(r.out().startsWith("usage: anomaly4j " + c), r.out());
        }
    }

    @Test
    void givenBadArguments_whenRun_thenOneLineMessageAndStatusTwo() {
        Run unknownCmd = cli("frobnicate");
        assertEquals(2, unknownCmd.status());
        assertEquals(1, unknownCmd.err().strip().lines().count(), unknownCmd.err());

        Run unknownMethod = cli("fit", "--method", "nope", "--data", dir.toString(), "--layout", "folder",
                "--model", "m.a4j");
        assertEquals(2, unknownMethod.status());
        assertTrue(unknownMethod.err().contains("unknown detector 'nope'"), unknownMethod.err());

        Run badParam = cli("fit", "--method", "pixel-gaussian", "--param", "width=-3", "--data", dir.toString(),
                "--layout", "folder", "--model", "m.a4j");
        assertEquals(2, badParam.status());
        assertTrue(badParam.err().contains("width"), badParam.err());

        Run badLayout = cli("eval", "--method", "pixel-gaussian", "--data", dir.toString(), "--layout", "zip");
        assertEquals(2, badLayout.status());
        assertTrue(badLayout.err().contains("unknown --layout"), badLayout.err());

        Run missing = cli("eval", "--method", "pixel-gaussian", "--layout", "mtd");
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("--data"), missing.err());

        Run unknownOption = cli("list", "--colour", "red");
        assertEquals(2, unknownOption.status());
        assertTrue(unknownOption.err().contains("--colour"), unknownOption.err());
    }

    @Test
    void givenBadData_whenRun_thenOneLineMessageAndStatusOne() throws IOException {
        Path notMtd = Files.createDirectories(dir.resolve("empty"));
        Run r = cli("eval", "--method", "pixel-gaussian", "--data", notMtd.toString(), "--layout", "mtd");
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("MT_Free"), r.err());

        Path garbage = Files.writeString(dir.resolve("garbage.a4j"), "not a model");
        Run s = cli("score", "--model", garbage.toString(), dir.toString());
        assertEquals(1, s.status());
        assertTrue(s.err().contains("garbage.a4j"), s.err());
    }

    @Test
    void givenRegistry_whenListed_thenPixelGaussianWithItsParameters() {
        Run r = cli("list");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("pixel-gaussian"), r.out());
        assertTrue(r.out().contains("--param width="), r.out());
    }

    @Test
    void givenFolderDataset_whenFitThenScoreThenEval_thenModelScoresCsvAndReportAreWritten() throws IOException {
        Path data = folderDataset();
        Path model = dir.resolve("model.a4j");
        Run fit = cli("fit", "--method", "pixel-gaussian", "--param", "width=32", "--param", "height=32", "--data",
                data.toString(), "--layout", "folder", "--model", model.toString(), "--holdout", "0.2");
        assertEquals(0, fit.status(), fit.err());
        assertTrue(Files.exists(model));
        assertTrue(fit.out().contains("threshold"), "fit calibrates on a hold-out: " + fit.out());

        Files.writeString(data.resolve("test/normal/broken.png"), "broken");
        Path csv = dir.resolve("scores.csv");
        Path heat = dir.resolve("heat");
        Run score = cli("score", "--model", model.toString(), "--csv", csv.toString(), "--heatmaps", heat.toString(),
                data.resolve("test/normal").toString());
        assertEquals(0, score.status(), score.err());
        assertTrue(score.err().contains("broken.png"), "bad file reported: " + score.err());
        List<String> rows = Files.readAllLines(csv);
        assertEquals(11, rows.size(), "header + 10 normal images, the broken one skipped: " + rows);
        assertTrue(rows.get(1).endsWith("normal") || rows.get(1).endsWith("anomalous"), rows.get(1));
        try (var files = Files.list(heat)) {
            assertEquals(10, files.count());
        }

        Path out = dir.resolve("eval");
        Run eval = cli("eval", "--model", model.toString(), "--data", data.toString(), "--layout", "folder", "--out",
                out.toString());
        assertEquals(0, eval.status(), eval.err());
        assertReport(out.resolve("report.json"), 1);
        assertTrue(Files.readString(out.resolve("report.csv")).startsWith("method,dataset,image_auroc"));
    }

    @Test
    void givenDemo_whenRun_thenReportsAndHeatmapsAreWritten() throws IOException {
        Path out = dir.resolve("demo");
        Run r = cli("demo", "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("pixel-gaussian"), r.out());
        List<Map<String, Object>> reports = assertReport(out.resolve("report.json"), -1);
        long pixelGaussian = 0;
        for (Map<String, Object> m : reports) {
            if ("pixel-gaussian".equals(m.get("method"))) {
                pixelGaussian++;
                assertTrue(((Number) m.get("image_auroc")).doubleValue() > 0.6, "demo AUROC " + m);
                assertTrue(((Number) m.get("pixel_auroc")).doubleValue() > 0.9, "demo pixel AUROC " + m);
            }
        }
        assertEquals(6, pixelGaussian, "one pixel-gaussian row per demo category");
        assertEquals(0, reports.size() % 6, "every demo detector runs on all six categories");
        assertTrue(Files.exists(out.resolve("report.csv")));
        try (var pngs = Files.walk(out.resolve("heatmaps"))) {
            assertTrue(pngs.filter(p -> p.toString().endsWith(".png")).count() >= 12);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> assertReport(Path json, int expected) throws IOException {
        List<Map<String, Object>> reports = new Gson().fromJson(Files.readString(json), List.class);
        if (expected >= 0) {
            assertEquals(expected, reports.size());
        }
        for (Map<String, Object> m : reports) {
            for (String k : List.of("method", "dataset", "image_auroc", "pixel_auroc", "aupro", "f1_max",
                    "fit_seconds", "score_images_per_second", "train_images", "test_images")) {
                assertTrue(m.containsKey(k), "report.json lacks " + k + ": " + m.keySet());
            }
            assertFalse(m.get("image_auroc") == null);
        }
        return reports;
    }
}
