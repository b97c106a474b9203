package org.anomaly4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoresetKnnBenchTest {
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

    @Test
    void givenFloatArray_whenWrittenAndReadAsNpy_thenValuesAndShapeRoundTrip() throws IOException {
        float[] v = CoresetBench.gaussian(7, 5, 1);
        Path f = dir.resolve("a.npy");
        CoresetBench.Npy.writeFloats(f, v, 7, 5);
        CoresetBench.Npy r = CoresetBench.Npy.read(f);
        assertArrayEquals(new long[] {7, 5}, r.shape);
        assertArrayEquals(v, r.floats);
        // numpy aligns the header to 64 bytes
        assertEquals(0, (Files.size(f) - 7 * 5 * 4) % 64);
    }

    @Test
    void givenSmallBank_whenCoresetBenchRuns_thenFastEqualsExactAndJsonIsWritten() throws IOException {
        Path bank = dir.resolve("bank.npy");
        CoresetBench.Npy.writeFloats(bank, CoresetBench.gaussian(1500, 8, 2), 1500, 8);
        Path out = dir.resolve("coreset.json");
        Run r = cli("bench", "coreset", "--bank", bank.toString(), "--exact", "600", "--ratios", "0.1,0.02",
                "--wide-rows", "300", "--wide-dim", "64", "--wide-exact", "fast", "--no-python", "--quiet", "--out",
                out.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("same picks as exact"), r.out());
        JsonObject j = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
        assertTrue(j.getAsJsonObject("subsample").get("identical_picks").getAsBoolean());
        assertEquals(2, j.getAsJsonArray("whole_bank").size());
        assertEquals(30, j.getAsJsonObject("wide").get("rows").getAsInt() / 10);
        // 64 dims at 300 rows: no projection, so the wide run is exact greedy too and the coverages agree
        JsonObject w = j.getAsJsonObject("wide");
        assertEquals(w.get("exact_coverage").getAsDouble(), w.get("fast_coverage").getAsDouble(), 1e-9);
    }

    @Test
    void givenSmallBank_whenKnnBenchRuns_thenBruteForceAgrees() throws IOException {
        Path out = dir.resolve("knn.json");
        Run r = cli("bench", "knn", "--rows", "3000", "--dim", "16", "--queries", "40", "--check", "10",
                "--java-gemm", "no", "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        JsonObject j = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
        for (var s : j.getAsJsonArray("searches")) {
            assertEquals(0, s.getAsJsonObject().get("brute_force_mismatched_indices").getAsInt());
        }
        assertTrue(j.get("peak_rss_mb").getAsLong() > 0);
    }

    @Test
    void givenNoBank_whenCoresetBenchRuns_thenUsageError() {
        Run r = cli("bench", "coreset", "--no-python");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--bank"), r.err());
        assertEquals(0, cli("bench", "coreset", "--help").status());
        assertEquals(0, cli("bench", "knn", "--help").status());
    }
}
