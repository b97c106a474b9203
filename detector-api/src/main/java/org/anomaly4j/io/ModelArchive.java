package org.anomaly4j.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;

import org.anomaly4j.api.Calibration;
import org.anomaly4j.api.Preprocessing;
import org.anomaly4j.api.Provenance;

/**
 * The one-file detector format, version {@value #FORMAT_VERSION}: a zip archive holding
 *
 * <ul>
 *   <li>{@code detector.json}: {@code format} ("anomaly4j-detector"), {@code format_version},
 *       {@code type} (the registry id), {@code config} (every parameter as a string),
 *       {@code preprocessing}, {@code calibration} (or null), {@code provenance}, and
 *       {@code tensors}: for each, {@code name}, {@code dtype} ("float32"), {@code shape},
 *       {@code entry} and the {@code crc32} of its bytes;</li>
 *   <li>{@code tensors/<name>.f32}: the values, row-major, IEEE-754 float32 little-endian, no header.</li>
 * </ul>
 *
 * <p>{@link #read} reads and checks everything (zip structure, JSON, version, each tensor's length
 * and CRC) before returning, so a detector is never built from half a file. Writes go to a
 * temporary file moved into place, so a crash never leaves a half-written model.
 */
public final class ModelArchive {
    /** The format version this library writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** The value of the {@code format} field. */
    public static final String FORMAT_NAME = "anomaly4j-detector";
    private static final String JSON_ENTRY = "detector.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls()
            .serializeSpecialFloatingPointValues().create();

    private final Path file;
    private final String typeId;
    private final Map<String, String> config;
    private final Preprocessing preprocessing;
    private final Calibration calibration;
    private final Provenance provenance;
    private final Map<String, TensorData> tensors;

    private ModelArchive(Path file, String typeId, Map<String, String> config, Preprocessing preprocessing,
            Calibration calibration, Provenance provenance, Map<String, TensorData> tensors) {
        this.file = file;
        this.typeId = typeId;
        this.config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
        this.preprocessing = preprocessing;
        this.calibration = calibration;
        this.provenance = provenance;
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /** Starts an archive for a detector of {@code typeId}. */
    public static Builder builder(String typeId) {
        return new Builder(typeId);
    }

    /** The file this archive was read from (null for one being built). */
    public Path file() {
        return file;
    }

    public String typeId() {
        return typeId;
    }

    /** Every config parameter as a string. */
    public Map<String, String> config() {
        return config;
    }

    public Optional<Preprocessing> preprocessing() {
        return Optional.ofNullable(preprocessing);
    }

    public Optional<Calibration> calibration() {
        return Optional.ofNullable(calibration);
    }

    public Provenance provenance() {
        return provenance;
    }

    /** Names of the stored tensors. */
    public List<String> tensorNames() {
        return List.copyOf(tensors.keySet());
    }

    /**
     * The tensor {@code name}.
     *
     * @throws CorruptModelException when the archive has no such tensor
     */
    public TensorData tensor(String name) throws CorruptModelException {
        TensorData t = tensors.get(name);
        if (t == null) {
            throw new CorruptModelException(file, "missing tensor '" + name + "'");
        }
        return t;
    }

    /** Builds an archive in memory, then writes it. */
    public static final class Builder {
        private final String typeId;
        private Map<String, String> config = Map.of();
        private Preprocessing preprocessing;
        private Calibration calibration;
        private Provenance provenance;
        private final Map<String, TensorData> tensors = new LinkedHashMap<>();

        private Builder(String typeId) {
            this.typeId = typeId;
        }

        public Builder config(Map<String, String> parameters) {
            this.config = new LinkedHashMap<>(parameters);
            return this;
        }

        public Builder preprocessing(Preprocessing p) {
            this.preprocessing = p;
            return this;
        }

        public Builder calibration(Calibration c) {
            this.calibration = c;
            return this;
        }

        public Builder provenance(Provenance p) {
            this.provenance = p;
            return this;
        }

        public Builder tensor(TensorData t) {
            if (tensors.putIfAbsent(t.name(), t) != null) {
                throw new IllegalArgumentException("duplicate tensor " + t.name());
            }
            return this;
        }

        public Builder tensor(String name, long[] shape, float[] values) {
            return tensor(new TensorData(name, shape, values));
        }

        /** Writes the archive atomically (temporary file, then move). */
        public void writeTo(Path target) throws IOException {
            if (provenance == null) {
                throw new IllegalStateException("provenance is required");
            }
            Path abs = target.toAbsolutePath();
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
            // a sibling temporary file with the default permissions (createTempFile would make it owner-only)
            Path tmp = abs.resolveSibling(abs.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
            try {
                try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
                    List<Map<String, Object>> index = new ArrayList<>();
                    Map<String, byte[]> blobs = new LinkedHashMap<>();
                    for (TensorData t : tensors.values()) {
                        byte[] bytes = encode(t.values());
                        CRC32 crc = new CRC32();
                        crc.update(bytes);
                        String entry = "tensors/" + t.name() + ".f32";
                        Map<String, Object> e = new LinkedHashMap<>();
                        e.put("name", t.name());
                        e.put("dtype", "float32");
                        e.put("shape", t.shape());
                        e.put("entry", entry);
                        e.put("crc32", crc.getValue());
                        index.add(e);
                        blobs.put(entry, bytes);
                    }
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("format", FORMAT_NAME);
                    json.put("format_version", FORMAT_VERSION);
                    json.put("type", typeId);
                    json.put("config", config);
                    json.put("preprocessing", preprocessing == null ? null : preprocessing.toMap());
                    json.put("calibration", calibration == null ? null : calibration.toMap());
                    json.put("provenance", provenance.toMap());
                    json.put("tensors", index);
                    zip.putNextEntry(new ZipEntry(JSON_ENTRY));
                    zip.write(GSON.toJson(json).getBytes(StandardCharsets.UTF_8));
                    zip.closeEntry();
                    for (Map.Entry<String, byte[]> b : blobs.entrySet()) {
                        zip.putNextEntry(new ZipEntry(b.getKey()));
                        zip.write(b.getValue());
                        zip.closeEntry();
                    }
                }
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Reads and verifies a whole archive.
     *
     * @throws java.nio.file.NoSuchFileException when the file does not exist
     * @throws CorruptModelException on a truncated or corrupted file or inconsistent contents
     * @throws UnsupportedFormatVersionException on a version this library cannot read
     */
    public static ModelArchive read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such detector file");
        }
        Map<String, byte[]> entries = new HashMap<>();
        // ZipFile needs the central directory at the end of the file, so a truncated file fails here;
        // each entry's CRC-32 is checked by hand (ZipFile does not).
        try (ZipFile zip = new ZipFile(file.toFile())) {
            var all = zip.entries();
            while (all.hasMoreElements()) {
                ZipEntry e = all.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                byte[] bytes;
                try (InputStream in = zip.getInputStream(e)) {
                    bytes = in.readAllBytes();
                }
                CRC32 crc = new CRC32();
                crc.update(bytes);
                if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
                    throw new CorruptModelException(file, "entry " + e.getName() + " fails its zip checksum");
                }
                entries.put(e.getName(), bytes);
            }
        } catch (CorruptModelException e) {
            throw e;
        } catch (ZipException | EOFException e) {
            throw new CorruptModelException(file, "not a readable detector archive (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            if (!Files.isReadable(file)) {
                throw e;
            }
            throw new CorruptModelException(file, "unreadable archive content (" + e.getMessage() + ")", e);
        }
        byte[] jsonBytes = entries.get(JSON_ENTRY);
        if (jsonBytes == null) {
            throw new CorruptModelException(file, entries.isEmpty() ? "empty or truncated archive"
                    : "no " + JSON_ENTRY + " in the archive");
        }
        Map<String, Object> json;
        try {
            json = GSON.fromJson(new String(jsonBytes, StandardCharsets.UTF_8),
                    new TypeToken<Map<String, Object>>() { }.getType());
        } catch (JsonParseException e) {
            throw new CorruptModelException(file, JSON_ENTRY + " is not valid JSON: " + e.getMessage(), e);
        }
        if (json == null || !FORMAT_NAME.equals(json.get("format"))) {
            throw new CorruptModelException(file, JSON_ENTRY + " does not describe an anomaly4j detector");
        }
        Object v = json.get("format_version");
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new CorruptModelException(file, "format_version missing or not an integer: " + v);
        }
        if (n.intValue() != FORMAT_VERSION) {
            throw new UnsupportedFormatVersionException(file, n.intValue(), FORMAT_VERSION);
        }
        try {
            String type = (String) json.get("type");
            if (type == null || type.isBlank()) {
                throw new CorruptModelException(file, "no detector type");
            }
            Map<String, String> config = new LinkedHashMap<>();
            Object c = json.get("config");
            if (!(c instanceof Map<?, ?> cm)) {
                throw new CorruptModelException(file, "no config");
            }
            cm.forEach((k, val) -> config.put(String.valueOf(k), String.valueOf(val)));
            Preprocessing pre = json.get("preprocessing") instanceof Map<?, ?> pm
                    ? Preprocessing.fromMap(cast(pm)) : null;
            Calibration cal = json.get("calibration") instanceof Map<?, ?> km ? Calibration.fromMap(cast(km)) : null;
            if (!(json.get("provenance") instanceof Map<?, ?> prov)) {
                throw new CorruptModelException(file, "no provenance");
            }
            Provenance provenance = Provenance.fromMap(cast(prov));
            Map<String, TensorData> tensors = new LinkedHashMap<>();
            Object ti = json.get("tensors");
            if (!(ti instanceof List<?> list)) {
                throw new CorruptModelException(file, "no tensor index");
            }
            for (Object o : list) {
                Map<String, Object> t = cast((Map<?, ?>) o);
                String name = (String) t.get("name");
                if (!"float32".equals(t.get("dtype"))) {
                    throw new CorruptModelException(file, "tensor " + name + ": unknown dtype " + t.get("dtype"));
                }
                List<?> dims = (List<?>) t.get("shape");
                long[] shape = new long[dims.size()];
                long count = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = ((Number) dims.get(i)).longValue();
                    count *= shape[i];
                }
                byte[] bytes = entries.get((String) t.get("entry"));
                if (bytes == null) {
                    throw new CorruptModelException(file, "tensor " + name + ": entry " + t.get("entry") + " missing");
                }
                if (bytes.length != count * 4) {
                    throw new CorruptModelException(file, "tensor " + name + ": " + bytes.length
                            + " bytes, expected " + count * 4);
                }
                CRC32 crc = new CRC32();
                crc.update(bytes);
                if (crc.getValue() != ((Number) t.get("crc32")).longValue()) {
                    throw new CorruptModelException(file, "tensor " + name + ": checksum mismatch");
                }
                tensors.put(name, new TensorData(name, shape, decode(bytes)));
            }
            return new ModelArchive(file, type, config, pre, cal, provenance, tensors);
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            throw new CorruptModelException(file, "malformed " + JSON_ENTRY + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static byte[] encode(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    private static float[] decode(byte[] bytes) {
        float[] v = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }
}
