package org.anomaly4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;

class EvaluationReportTest {

    private static EvaluationReport full() {
        return EvaluationReport.builder("patchcore", "MTD")
                .imageAuroc(0.975)
                .imageAupr(0.96)
                .f1(0.91, 1.234)
                .pixelAuroc(0.9812)
                .aupro(0.8765)
                .fitSeconds(12.5)
                .scoreImagesPerSecond(33.3)
                .trainImages(760)
                .testImages(583)
                .addDefectRow(new EvaluationReport.DefectRow("MT_Blowhole", 115, 0.99))
                .addDefectRow(new EvaluationReport.DefectRow("MT_Break", 85, 0.95))
                .extra("peak_memory_mb", 512.5)
                .build();
    }

    private static EvaluationReport imageOnly() {
        return EvaluationReport.builder("ocsvm", "MTD")
                .imageAuroc(0.6)
                .imageAupr(0.5)
                .f1(0.4, -0.25)
                .fitSeconds(1.0)
                .scoreImagesPerSecond(1000)
                .trainImages(760)
                .testImages(583)
                .build();
    }

    @Test
    void givenReport_whenToMap_thenHasEveryRequiredSnakeCaseKey() {
        Map<String, Object> m = full().toMap();
        for (String k : List.of("method", "dataset", "image_auroc", "image_aupr", "f1_max", "f1_threshold",
                "pixel_auroc", "aupro", "fit_seconds", "score_images_per_second", "train_images", "test_images",
                "per_type")) {
            assertTrue(m.containsKey(k), "missing key " + k);
        }
        assertEquals(0.975, m.get("image_auroc"));
        assertEquals(512.5, m.get("peak_memory_mb"));
        List<?> rows = (List<?>) m.get("per_type");
        assertEquals(Map.of("type", "MT_Blowhole", "count", 115, "image_auroc", 0.99), rows.get(0));
    }

    @Test
    void givenReportWithoutPixelMetrics_whenToMap_thenPixelKeysAreNull() {
        EvaluationReport r = imageOnly();
        Map<String, Object> m = r.toMap();
        assertTrue(m.containsKey("pixel_auroc") && m.containsKey("aupro"));
        assertNull(m.get("pixel_auroc"));
        assertNull(m.get("aupro"));
        assertTrue(!r.hasPixelMetrics() && full().hasPixelMetrics());
    }

    @Test
    void givenReports_whenWrittenAsJson_thenParsesWithNullsAndRoundTrips(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("out/reports.json");
        EvaluationReport.writeJson(List.of(full(), imageOnly()), file);
        String json = Files.readString(file);
        List<Map<String, Object>> parsed = new Gson().fromJson(json,
                new TypeToken<List<Map<String, Object>>>() { }.getType());
        assertEquals(2, parsed.size());
        assertEquals("patchcore", parsed.get(0).get("method"));
        assertEquals(0.8765, parsed.get(0).get("aupro"));
        assertTrue(parsed.get(1).containsKey("pixel_auroc"), "null written, not dropped");
        assertNull(parsed.get(1).get("pixel_auroc"));
        List<EvaluationReport> back = EvaluationReport.readJson(file);
        assertEquals(full(), back.get(0));
        assertEquals(imageOnly(), back.get(1));
        assertTrue(Double.isNaN(back.get(1).pixelAuroc()));
    }

    @Test
    void givenReports_whenWrittenAsCsv_thenHeaderIsTheScalarKeysThenExtras(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("reports.csv");
        EvaluationReport.writeCsv(List.of(full(), imageOnly().withMethod("oc,svm")), file);
        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.size());
        assertEquals("method,dataset,image_auroc,image_aupr,f1_max,f1_threshold,pixel_auroc,aupro,fit_seconds,"
                + "score_images_per_second,train_images,test_images,peak_memory_mb", lines.get(0));
        assertEquals("patchcore,MTD,0.975,0.96,0.91,1.234,0.9812,0.8765,12.5,33.3,760,583,512.5", lines.get(1));
        assertEquals("\"oc,svm\",MTD,0.6,0.5,0.4,-0.25,,,1.0,1000.0,760,583,", lines.get(2));
    }

    @Test
    void givenReports_whenFormattedAsTable_thenPercentsMethodNamesAndDashes() {
        String t = EvaluationReport.formatTable(List.of(full(), imageOnly()));
        String[] lines = t.split("\n");
        assertEquals(4, lines.length, t);
        assertTrue(lines[0].startsWith("method"), t);
        assertTrue(lines[2].contains("patchcore") && lines[2].contains("97.50") && lines[2].contains("98.12")
                && lines[2].contains("87.65"), t);
        assertTrue(lines[3].contains("ocsvm") && lines[3].contains("60.00") && lines[3].contains(" - "), t);
        assertEquals(lines[2].length(), lines[3].length(), "fixed width:\n" + t);
        String d = EvaluationReport.formatDefectTable(List.of(full()));
        assertTrue(d.contains("MT_Blowhole") && d.contains("99.00"), d);
    }

    @Test
    void givenExtraKeyClashingWithStandardKey_whenBuilt_thenIllegalArgument() {
        assertThrows(IllegalArgumentException.class,
                () -> EvaluationReport.builder("m", "d").extra("aupro", 1.0).build());
        assertThrows(IllegalArgumentException.class,
                () -> EvaluationReport.builder("m", "d").extra("x", List.of(1)).build());
    }

    @Test
    void givenReport_whenWithExtra_thenOriginalUnchanged() {
        EvaluationReport r = imageOnly();
        EvaluationReport r2 = r.withExtra("peak_memory_mb", 100);
        assertTrue(r.extra().isEmpty());
        assertEquals(100, r2.extra().get("peak_memory_mb"));
        assertThrows(UnsupportedOperationException.class, () -> r2.extra().put("a", 1));
    }
}
