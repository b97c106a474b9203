package org.anomaly4j.tensor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import org.anomaly4j.io.TensorData;

/**
 * A pure-Java reader (and small writer) of the <a href="https://github.com/huggingface/safetensors">
 * safetensors</a> format: an 8-byte little-endian header length, a JSON header mapping each tensor
 * name to {@code dtype}, {@code shape} and {@code data_offsets} (relative to the end of the header),
 * an optional {@code __metadata__} string map, then the raw little-endian data. Reads {@code F32},
 * {@code F16}, {@code BF16} and {@code F64} tensors as float32; other dtypes are listed but reading
 * them fails with a {@link SafeTensorsException}.
 *
 * <p>Opening parses and validates the header only; each {@link #floats} call reads one tensor.
 * Instances are immutable and thread-safe.
 */
public final class SafeTensors {
    /** Refuse headers larger than this (the format's own reference limit is 100 MB). */
    private static final long MAX_HEADER = 100L << 20;
    private static final Map<String, Integer> DTYPE_BYTES = Map.of("F64", 8, "F32", 4, "F16", 2, "BF16", 2,
            "I64", 8, "I32", 4, "I16", 2, "I8", 1, "U8", 1, "BOOL", 1);

    /**
     * One tensor's header entry.
     *
     * @param name  tensor name
     * @param dtype safetensors dtype code ({@code F32}, {@code F16}, ...)
     * @param shape dimensions
     * @param begin first byte, relative to the start of the data section
     * @param end   one past the last byte
     */
    public record Entry(String name, String dtype, long[] shape, long begin, long end) {
        public Entry {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** Number of elements. */
        public long count() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && e.name.equals(name) && e.dtype.equals(dtype)
                    && Arrays.equals(e.shape, shape) && e.begin == begin && e.end == end;
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Arrays.hashCode(shape);
        }

        @Override
        public String toString() {
            return name + " " + dtype + Arrays.toString(shape);
        }
    }

    private final Path file;
    private final long dataStart;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private SafeTensors(Path file, long dataStart, Map<String, Entry> entries, Map<String, String> metadata) {
        this.file = file;
        this.dataStart = dataStart;
        this.entries = Collections.unmodifiableMap(entries);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /** Opens a file and validates its header. */
    public static SafeTensors open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new SafeTensorsException(file, null, "truncated: " + size + " bytes, no header length");
            }
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0);
            long n = len.flip().getLong();
            if (n < 2 || n > MAX_HEADER || n > size - 8) {
                throw new SafeTensorsException(file, null, "bad header length " + n + " for a file of " + size
                        + " bytes (not a safetensors file, or truncated)");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            readFully(ch, hb, 8);
            String json = new String(hb.array(), StandardCharsets.UTF_8);
            return parseHeader(file, json, 8 + n, size - 8 - n);
        }
    }

    private static SafeTensors parseHeader(Path file, String json, long dataStart, long dataSize)
            throws SafeTensorsException {
        JsonObject root;
        try {
            root = JsonParser.parseString(json).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new SafeTensorsException(file, null, "header is not a JSON object: " + e.getMessage());
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : root.entrySet()) {
            String name = e.getKey();
            try {
                JsonObject o = e.getValue().getAsJsonObject();
                if (name.equals("__metadata__")) {
                    for (Map.Entry<String, JsonElement> m : o.entrySet()) {
                        meta.put(m.getKey(), m.getValue().getAsString());
                    }
                    continue;
                }
                String dtype = o.get("dtype").getAsString();
                JsonArray sh = o.getAsJsonArray("shape");
                long[] shape = new long[sh.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = sh.get(i).getAsLong();
                    if (shape[i] < 0) {
                        throw new SafeTensorsException(file, name, "negative dimension in shape " + sh);
                    }
                }
                JsonArray off = o.getAsJsonArray("data_offsets");
                long begin = off.get(0).getAsLong();
                long end = off.get(1).getAsLong();
                Entry entry = new Entry(name, dtype, shape, begin, end);
                if (begin < 0 || end < begin || end > dataSize) {
                    throw new SafeTensorsException(file, name, "data_offsets [" + begin + ", " + end
                            + "] outside the data section of " + dataSize + " bytes (truncated file?)");
                }
                Integer bytes = DTYPE_BYTES.get(dtype);
                if (bytes != null && entry.count() * bytes != end - begin) {
                    throw new SafeTensorsException(file, name, "shape " + Arrays.toString(shape) + " of " + dtype
                            + " needs " + entry.count() * bytes + " bytes, data_offsets give " + (end - begin));
                }
                entries.put(name, entry);
            } catch (NullPointerException | IllegalStateException | ClassCastException
                    | UnsupportedOperationException | IndexOutOfBoundsException | NumberFormatException ex) {
                throw new SafeTensorsException(file, name, "malformed header entry " + e.getValue());
            }
        }
        return new SafeTensors(file, dataStart, entries, meta);
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    /** The {@code __metadata__} map (empty when absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Tensor names, in header order. */
    public Set<String> names() {
        return entries.keySet();
    }

    /** Whether the file holds a tensor of this name. */
    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** The header entry of a tensor. */
    public Entry entry(String name) throws SafeTensorsException {
        Entry e = entries.get(name);
        if (e == null) {
            throw new SafeTensorsException(file, name, "no such tensor (the file has " + entries.size()
                    + " tensors" + (entries.isEmpty() ? "" : ", e.g. '" + entries.keySet().iterator().next() + "'")
                    + ")");
        }
        return e;
    }

    /** A tensor's values as float32, row-major. */
    public float[] floats(String name) throws IOException {
        Entry e = entry(name);
        int bytes = switch (e.dtype()) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            case "F64" -> 8;
            default -> throw new SafeTensorsException(file, name, "dtype " + e.dtype()
                    + " is not supported (F32, F16, BF16, F64 are)");
        };
        long len = e.end() - e.begin();
        if (len / bytes > Integer.MAX_VALUE - 8) {
            throw new SafeTensorsException(file, name, "too large for one Java array: " + e.count() + " values");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) len).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            readFully(ch, buf, dataStart + e.begin());
        }
        buf.flip();
        float[] out = new float[(int) e.count()];
        switch (e.dtype()) {
            case "F32" -> buf.asFloatBuffer().get(out);
            case "F64" -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) buf.getDouble();
                }
            }
            case "BF16" -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.intBitsToFloat((buf.getShort() & 0xffff) << 16);
                }
            }
            default -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = halfToFloat(buf.getShort());
                }
            }
        }
        return out;
    }

    /** A tensor as {@link TensorData} (float32). */
    public TensorData tensor(String name) throws IOException {
        return new TensorData(name, entry(name).shape(), floats(name));
    }

    /** Writes tensors as {@code F32}; see {@link #write(Path, List, Map, String)}. */
    public static void write(Path file, List<TensorData> tensors, Map<String, String> metadata) throws IOException {
        write(file, tensors, metadata, "F32");
    }

    /**
     * Writes tensors in the safetensors format, converted to {@code dtype} ({@code F32}, {@code F16} or
     * {@code BF16}, rounding to nearest even), in name order, with the header padded to 8 bytes.
     */
    public static void write(Path file, List<TensorData> tensors, Map<String, String> metadata, String dtype)
            throws IOException {
        int bytes = switch (dtype) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            default -> throw new IllegalArgumentException("dtype must be F32, F16 or BF16, got " + dtype);
        };
        Map<String, TensorData> sorted = new TreeMap<>();
        for (TensorData t : tensors) {
            if (sorted.put(t.name(), t) != null) {
                throw new IllegalArgumentException("tensor '" + t.name() + "' given twice");
            }
        }
        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            header.put("__metadata__", metadata);
        }
        long offset = 0;
        for (TensorData t : sorted.values()) {
            long len = (long) t.values().length * bytes;
            header.put(t.name(), Map.of("dtype", dtype, "shape", t.shape(), "data_offsets", new long[] {offset, offset + len}));
            offset += len;
        }
        byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
        int pad = (8 - json.length % 8) % 8;
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length + pad);
            out.write(head.array());
            out.write(json);
            for (int i = 0; i < pad; i++) {
                out.write(' ');
            }
            for (TensorData t : sorted.values()) {
                float[] v = t.values();
                ByteBuffer b = ByteBuffer.allocate(v.length * bytes).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : v) {
                    switch (bytes) {
                        case 4 -> b.putFloat(f);
                        default -> b.putShort(dtype.equals("F16") ? floatToHalf(f) : floatToBf16(f));
                    }
                }
                out.write(b.array());
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new java.io.EOFException("unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }

    /** IEEE 754 binary16 to float32 (exact). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal (or zero)
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** float32 to IEEE 754 binary16, round to nearest even, overflow to infinity. */
    static short floatToHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
        }
        int e = exp - 112;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            int m = mant | 0x800000;
            int shift = 14 - e;
            int half = m >> shift;
            int rem = m & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rem > mid || (rem == mid && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) {
            half++; // may carry into the exponent, which is the correct rounding
        }
        return (short) (sign | half);
    }

    /** float32 to bfloat16, round to nearest even. */
    static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }
}
