package org.anomaly4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.anomaly4j.io.TensorData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    /** A file laid out by hand: 8-byte LE header length, JSON header, raw LE data. */
    private Path handWritten(String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Path f = dir.resolve("hand.safetensors");
        Files.write(f, b.array());
        return f;
    }

    private static byte[] le(int bytesPer, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * bytesPer).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (bytesPer) {
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        return b.array();
    }

    @Test
    void givenHandWrittenFile_whenRead_thenEveryDtypeDecodesToFloat32() throws IOException {
        byte[] f32 = le(4, Float.floatToIntBits(1.5f), Float.floatToIntBits(-2.25f));
        byte[] f16 = le(2, 0x3c00, 0xc000, 0x7bff, 0x0001); // 1, -2, 65504, smallest subnormal
        byte[] bf16 = le(2, 0x3f80, 0xc0a0); // 1, -5
        byte[] f64 = le(8, Double.doubleToLongBits(0.125));
        byte[] i64 = le(8, 7);
        ByteBuffer data = ByteBuffer.allocate(f32.length + f16.length + bf16.length + f64.length + i64.length);
        data.put(f32).put(f16).put(bf16).put(f64).put(i64);
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[0,8]},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[8,16]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[16,20]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[20,28]},"
                + "\"n\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[28,36]}}";
        SafeTensors st = SafeTensors.open(handWritten(header, data.array()));

        assertEquals(List.of("a", "h", "b", "d", "n"), List.copyOf(st.names()));
        assertEquals(Map.of("format", "pt"), st.metadata());
        assertArrayEquals(new long[] {2, 1}, st.entry("a").shape());
        assertArrayEquals(new float[] {1.5f, -2.25f}, st.floats("a"));
        assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-24f}, st.floats("h"));
        assertArrayEquals(new float[] {1f, -5f}, st.floats("b"));
        assertArrayEquals(new float[] {0.125f}, st.floats("d"));
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> st.floats("n"));
        assertEquals("n", e.tensor().orElseThrow());
        assertTrue(e.getMessage().contains("I64"), e.getMessage());
    }

    @Test
    void givenTensorsWritten_whenReadBack_thenNamesShapesValuesAndMetadataRoundTrip() throws IOException {
        TensorData w = new TensorData("features.0.0.weight", new long[] {2, 3}, new float[] {1, -2, 3.5f, 0, 1e-8f, -7});
        TensorData b = new TensorData("features.0.1.bias", new long[] {2}, new float[] {0.25f, -0.5f});
        Path f = dir.resolve("rt.safetensors");
        SafeTensors.write(f, List.of(w, b), Map.of("arch", "test"));

        SafeTensors st = SafeTensors.open(f);
        assertEquals(w, st.tensor("features.0.0.weight"));
        assertEquals(b, st.tensor("features.0.1.bias"));
        assertEquals("test", st.metadata().get("arch"));
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(f), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "header padded to 8 bytes");
    }

    @Test
    void givenHalfPrecisionWrites_whenRead_thenRoundedToNearest() throws IOException {
        float[] v = {1f, -2.5f, 0.1f, 65504f, 70000f, 1e-7f, 3.14159f};
        TensorData t = new TensorData("t", new long[] {v.length}, v);
        SafeTensors.write(dir.resolve("h.safetensors"), List.of(t), Map.of(), "F16");
        SafeTensors.write(dir.resolve("b.safetensors"), List.of(t), Map.of(), "BF16");

        float[] h = SafeTensors.open(dir.resolve("h.safetensors")).floats("t");
        float[] b = SafeTensors.open(dir.resolve("b.safetensors")).floats("t");
        assertArrayEquals(new float[] {1f, -2.5f, 0.0999755859375f, 65504f, Float.POSITIVE_INFINITY, 1.1920929e-7f,
                3.140625f}, h);
        for (int i = 0; i < v.length; i++) {
            assertEquals(v[i], b[i], Math.abs(v[i]) / 128, "bf16 keeps 8 bits of mantissa");
        }
        assertEquals(0.10009765625f, b[2]);
    }

    @Test
    void givenTruncatedOrCorruptFiles_whenOpened_thenExceptionNamesFileAndTensor() throws IOException {
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        SafeTensorsException e1 = assertThrows(SafeTensorsException.class, () -> SafeTensors.open(tiny));
        assertTrue(e1.getMessage().contains("tiny.safetensors"), e1.getMessage());

        Path outside = handWritten("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[8]);
        SafeTensorsException e2 = assertThrows(SafeTensorsException.class, () -> SafeTensors.open(outside));
        assertEquals("w", e2.tensor().orElseThrow());
        assertTrue(e2.getMessage().contains("truncated"), e2.getMessage());

        Path wrongSize = handWritten("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]);
        assertEquals("w", assertThrows(SafeTensorsException.class, () -> SafeTensors.open(wrongSize)).tensor().orElseThrow());

        Path notJson = handWritten("[1,2]", new byte[0]);
        assertThrows(SafeTensorsException.class, () -> SafeTensors.open(notJson));

        assertThrows(NoSuchFileException.class, () -> SafeTensors.open(dir.resolve("absent.safetensors")));
        SafeTensors ok = SafeTensors.open(handWritten("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
                new byte[8]));
        SafeTensorsException e3 = assertThrows(SafeTensorsException.class, () -> ok.floats("nope"));
        assertEquals("nope", e3.tensor().orElseThrow());
        assertEquals(ok.file(), e3.file());
    }
}
