package org.anomaly4j.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.anomaly4j.tensor.Devices;

/**
 * Where a fitted detector came from: library, DJL and engine versions, device, seed, a fingerprint
 * of the training set, its size, the time, and detector-specific notes (a loss curve, say).
 */
public record Provenance(String library, String djl, String engine, String device, long seed,
        String trainFingerprint, int trainImages, String created, Map<String, String> notes) {

    public Provenance {
        Objects.requireNonNull(library, "library");
        Objects.requireNonNull(djl, "djl");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(trainFingerprint, "trainFingerprint");
        Objects.requireNonNull(created, "created");
        notes = Map.copyOf(notes);
    }

    /** Provenance of a detector fitted now, on {@code train}, on the current device. */
    public static Provenance capture(long seed, ImageSet train, Map<String, String> notes) {
        return new Provenance(Versions.library(), Versions.djl(), Versions.engine(), Devices.current().toString(),
                seed, train.fingerprint(), train.size(), Instant.now().toString(), new LinkedHashMap<>(notes));
    }

    /** The fields as a JSON-ready map. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("library", library);
        m.put("djl", djl);
        m.put("engine", engine);
        m.put("device", device);
        m.put("seed", Long.toString(seed));
        m.put("train_fingerprint", trainFingerprint);
        m.put("train_images", trainImages);
        m.put("created", created);
        m.put("notes", notes);
        return m;
    }

    /** Restores saved provenance. */
    @SuppressWarnings("unchecked")
    public static Provenance fromMap(Map<String, ?> m) {
        try {
            Map<String, String> notes = new LinkedHashMap<>();
            Object n = m.get("notes");
            if (n instanceof Map<?, ?> nm) {
                nm.forEach((k, v) -> notes.put(String.valueOf(k), String.valueOf(v)));
            }
            return new Provenance((String) m.get("library"), (String) m.get("djl"), (String) m.get("engine"),
                    (String) m.get("device"), Long.parseLong(String.valueOf(m.get("seed"))),
                    (String) m.get("train_fingerprint"), ((Number) m.get("train_images")).intValue(),
                    (String) m.get("created"), notes);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed provenance: " + e.getMessage(), e);
        }
    }
}
