package org.anomaly4j.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Versions of this library, DJL and the engine, for provenance and reports. */
public final class Versions {
    private static final Properties PROPS = new Properties();

    static {
        try (InputStream in = Versions.class.getResourceAsStream("/org/anomaly4j/api/version.properties")) {
            if (in != null) {
                PROPS.load(in);
            }
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Versions() {
    }

    /** This library's version. */
    public static String library() {
        return PROPS.getProperty("anomaly4j.version", "unknown");
    }

    /** The DJL version built against. */
    public static String djl() {
        return PROPS.getProperty("djl.version", "unknown");
    }

    /** The engine name and its native version, e.g. "PyTorch 2.7.1". */
    public static String engine() {
        return "PyTorch " + PROPS.getProperty("pytorch.version", "unknown");
    }
}
