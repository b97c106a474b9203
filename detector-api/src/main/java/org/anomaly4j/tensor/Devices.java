package org.anomaly4j.tensor;

import java.util.Locale;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * The one place that decides where tensors live. CPU by default; CUDA when asked for with the
 * system property {@code anomaly4j.device} or the environment variable {@code ANOMALY4J_DEVICE}
 * ({@code cpu}, {@code cuda}, {@code cuda:N} or {@code auto} = CUDA when present). Asking for CUDA on
 * a machine without it fails with a clear message rather than silently running on CPU.
 */
public final class Devices {
    /** The system property naming the device. */
    public static final String PROPERTY = "anomaly4j.device";
    /** The environment variable naming the device (the property wins). */
    public static final String ENV = "ANOMALY4J_DEVICE";

    static {
        // Natives come from Maven: DJL must never try to download an engine at run time.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    private Devices() {
    }

    /** The device chosen by the property / environment ({@code cpu} when neither is set). */
    public static Device current() {
        String s = System.getProperty(PROPERTY);
        if (s == null || s.isBlank()) {
            s = System.getenv(ENV);
        }
        return parse(s == null || s.isBlank() ? "cpu" : s);
    }

    /** Parses {@code cpu}, {@code cuda}, {@code cuda:N}, {@code gpu}, {@code auto}. */
    public static Device parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("cpu")) {
            return Device.cpu();
        }
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        if (n.equals("auto")) {
            return gpus > 0 ? Device.gpu() : Device.cpu();
        }
        if (n.equals("cuda") || n.equals("gpu") || n.startsWith("cuda:") || n.startsWith("gpu:")) {
            int id = n.contains(":") ? Integer.parseInt(n.substring(n.indexOf(':') + 1)) : 0;
            if (id >= gpus) {
                throw new IllegalStateException("device '" + name + "' requested but the PyTorch engine sees "
                        + gpus + " CUDA device(s); install the CUDA natives (Maven profile 'cuda') or use cpu");
            }
            return Device.gpu(id);
        }
        throw new IllegalArgumentException("unknown device '" + name + "': use cpu, cuda, cuda:N or auto");
    }
}
