package org.anomaly4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.anomaly4j.api.Calibration;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.api.Preprocessing;
import org.anomaly4j.api.Provenance;

class ModelArchiveTest {
    @TempDir
    Path dir;

    private static Provenance provenance() {
        return new Provenance("0.1.0", "0.36.0", "PyTorch 2.7.1", "cpu()", 42, "abc", 10, "2026-01-01T00:00:00Z",
                Map.of("loss", "0.1,0.05"));
    }

    private Path writeSample() throws IOException {
        Path f = dir.resolve("m.a4j");
        float[] big = new float[5000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (float) Math.sin(i);
        }
        ModelArchive.builder("test-type").config(Map.of("k", "3", "name", "x"))
                .preprocessing(Preprocessing.resize(32, 16, 3))
                .calibration(Calibration.fromNormalScores(new double[] {1, 2, 3, 4}, 0.5))
                .provenance(provenance())
                .tensor("small", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, Float.MIN_VALUE})
                .tensor("big", new long[] {50, 100}, big)
                .writeTo(f);
        return f;
    }

    @Test
    void givenArchive_whenReadBack_thenEveryPartIsIdentical() throws IOException {
        ModelArchive a = ModelArchive.read(writeSample());
        assertEquals("test-type", a.typeId());
        assertEquals(Map.of("k", "3", "name", "x"), a.config());
        assertEquals(Preprocessing.resize(32, 16, 3), a.preprocessing().orElseThrow());
        assertEquals(Calibration.fromNormalScores(new double[] {1, 2, 3, 4}, 0.5), a.calibration().orElseThrow());
        assertEquals(provenance(), a.provenance());
        assertArrayEquals(new long[] {2, 3}, a.tensor("small").shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, Float.MIN_VALUE}, a.tensor("small").values());
        assertEquals(5000, a.tensor("big").values().length);
    }

    @Test
    void givenUnknownFormatVersion_whenRead_thenUnsupportedFormatVersionException() throws IOException {
        Path f = rewriteJson(writeSample(), j -> j.replace("\"format_version\": 1", "\"format_version\": 99"));
        UnsupportedFormatVersionException e = assertThrows(UnsupportedFormatVersionException.class,
                () -> ModelArchive.read(f));
        assertEquals(99, e.version());
        assertTrue(e.getMessage().contains("99") && e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void givenTruncatedFile_whenRead_thenCorruptModelException() throws IOException {
        Path f = writeSample();
        byte[] all = Files.readAllBytes(f);
        for (int cut : new int[] {all.length / 2, all.length - 10, 30}) {
            Path t = dir.resolve("cut" + cut + ".a4j");
            Files.write(t, Arrays.copyOf(all, cut));
            CorruptModelException e = assertThrows(CorruptModelException.class, () -> ModelArchive.read(t));
            assertTrue(e.getMessage().contains(t.toString()), e.getMessage());
        }
    }

    @Test
    void givenFlippedBytesInTensorData_whenRead_thenCorruptModelException() throws IOException {
        Path f = writeSample();
        byte[] all = Files.readAllBytes(f);
        for (int i = all.length / 2; i < all.length / 2 + 16; i++) {
            all[i] ^= 0x5A;
        }
        Files.write(f, all);
        assertThrows(CorruptModelException.class, () -> ModelArchive.read(f));
    }

    @Test
    void givenEmptyOrNonZipFile_whenRead_thenCorruptModelException() throws IOException {
        Path empty = Files.write(dir.resolve("empty.a4j"), new byte[0]);
        assertThrows(CorruptModelException.class, () -> ModelArchive.read(empty));
        Path text = Files.writeString(dir.resolve("text.a4j"), "hello, I am not a model");
        assertThrows(CorruptModelException.class, () -> ModelArchive.read(text));
    }

    @Test
    void givenMissingFile_whenRead_thenNoSuchFileException() {
        assertThrows(NoSuchFileException.class, () -> ModelArchive.read(dir.resolve("absent.a4j")));
    }

    @Test
    void givenInvalidJson_whenRead_thenCorruptModelExceptionNamingTheEntry() throws IOException {
        Path f = rewriteJson(writeSample(), j -> j.substring(0, j.length() / 2));
        CorruptModelException e = assertThrows(CorruptModelException.class, () -> ModelArchive.read(f));
        assertTrue(e.getMessage().contains("detector.json"), e.getMessage());
    }

    @Test
    void givenTensorChecksumInIndexAltered_whenRead_thenCorruptModelException() throws IOException {
        Path f = rewriteJson(writeSample(), j -> j.replaceFirst("\"crc32\": \\d+", "\"crc32\": 12345"));
        CorruptModelException e = assertThrows(CorruptModelException.class, () -> ModelArchive.read(f));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void givenTensorShapeNotMatchingItsBytes_whenRead_thenCorruptModelException() throws IOException {
        Path f = rewriteJson(writeSample(), j -> j.replaceFirst("\\[\\s*2,\\s*3\\s*\\]", "[2, 4]"));
        CorruptModelException e = assertThrows(CorruptModelException.class, () -> ModelArchive.read(f));
        assertTrue(e.getMessage().contains("small"), e.getMessage());
    }

    @Test
    void givenArchiveWithoutDetectorJson_whenRead_thenCorruptModelException() throws IOException {
        Path f = dir.resolve("nojson.a4j");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            z.putNextEntry(new ZipEntry("other.txt"));
            z.write(1);
            z.closeEntry();
        }
        CorruptModelException e = assertThrows(CorruptModelException.class, () -> ModelArchive.read(f));
        assertTrue(e.getMessage().contains("detector.json"), e.getMessage());
    }

    @Test
    void givenUnregisteredType_whenLoadedThroughRegistry_thenUnknownDetectorTypeException() throws IOException {
        Path f = writeSample();
        UnknownDetectorTypeException e = assertThrows(UnknownDetectorTypeException.class, () -> Detectors.load(f));
        assertTrue(e.getMessage().contains("test-type"), e.getMessage());
    }

    @Test
    void givenExistingFile_whenWrittenAgain_thenReplacedAtomicallyWithoutLeftovers() throws IOException {
        Path f = writeSample();
        writeSample();
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file may remain");
        }
    }

    /** Rewrites detector.json inside the zip with {@code edit}, keeping other entries. */
    private Path rewriteJson(Path f, UnaryOperator<String> edit) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(f); ZipInputStream z = new ZipInputStream(in)) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                z.transferTo(b);
                entries.put(e.getName(), b.toByteArray());
            }
        }
        String json = new String(entries.get("detector.json"), StandardCharsets.UTF_8);
        entries.put("detector.json", edit.apply(json).getBytes(StandardCharsets.UTF_8));
        Path out = dir.resolve("edited-" + f.getFileName());
        try (OutputStream os = Files.newOutputStream(out); ZipOutputStream z = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return out;
    }
}
