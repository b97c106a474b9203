package org.anomaly4j.data;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.BadFile;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.api.InvalidImageException;
import org.anomaly4j.api.Label;
import org.anomaly4j.api.LabeledImage;
import org.anomaly4j.api.Mask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The layouts' shared machinery: directory listing in file-name order, and decoding of a job list
 * on a small thread pool with results in job order (deterministic whatever the thread timing).
 */
final class ParallelLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ParallelLoader.class);
    private static final AtomicInteger POOL_ID = new AtomicInteger();

    private ParallelLoader() {
    }

    /** How a job gets its mask. */
    enum MaskMode {
        /** No ground truth: the item carries no mask. */
        NONE,
        /** An all-normal mask of the image's size. */
        EMPTY,
        /** Decoded from {@link Job#maskFile()}, anomalous where the grey value exceeds 0.5. */
        FILE
    }

    /**
     * One file to load, or (when {@code badReason} is set) a file already known to be unusable that
     * is reported in place.
     */
    record Job(Path file, String id, Label label, String defectType, MaskMode maskMode, Path maskFile,
            String badReason) {
        static Job image(Path file, String id, Label label, String defectType, MaskMode mode, Path maskFile) {
            return new Job(file, id, label, defectType, mode, maskFile, null);
        }

        static Job bad(Path file, String reason) {
            return new Job(file, null, null, null, MaskMode.NONE, null, reason);
        }
    }

    /** Either an item or a bad file. */
    private record Outcome(LabeledImage item, BadFile bad) {
    }

    /** Decodes every job on {@code o.threads()} threads; items and bad files keep the job order. */
    static ImageSet load(String name, List<Job> jobs, LoadOptions o) throws IOException {
        int total = jobs.size();
        List<LabeledImage> items = new ArrayList<>(total);
        List<BadFile> bad = new ArrayList<>();
        o.progress().progress(LoadOptions.STAGE, 0, total);
        if (total == 0) {
            return new ImageSet(name, items, bad);
        }
        int threads = Math.min(o.threads(), total);
        ExecutorService pool = Executors.newFixedThreadPool(threads, daemonFactory());
        try {
            List<Future<Outcome>> futures = new ArrayList<>(total);
            for (Job j : jobs) {
                futures.add(pool.submit(() -> run(j, o)));
            }
            for (int i = 0; i < total; i++) {
                Outcome r = futures.get(i).get();
                if (r.item() != null) {
                    items.add(r.item());
                } else {
                    bad.add(r.bad());
                }
                o.progress().progress(LoadOptions.STAGE, i + 1, total);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException ie = new InterruptedIOException("interrupted while loading " + name);
            ie.initCause(e);
            throw ie;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IOException("loading " + name + " failed", c);
        } finally {
            pool.shutdownNow();
        }
        if (!bad.isEmpty()) {
            LOG.warn("{}: {} of {} files skipped, first: {}", name, bad.size(), total, bad.get(0));
        }
        return new ImageSet(name, items, bad);
    }

    private static ThreadFactory daemonFactory() {
        int id = POOL_ID.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "anomaly4j-load-" + id + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static Outcome run(Job j, LoadOptions o) {
        if (j.badReason() != null) {
            return new Outcome(null, new BadFile(j.file(), j.badReason()));
        }
        AnomalyImage img;
        try {
            img = ImageDecoder.decode(j.file());
        } catch (ImageDecodeException e) {
            return new Outcome(null, new BadFile(j.file(), withoutPath(j.file(), e.getMessage())));
        } catch (InvalidImageException e) {
            return new Outcome(null, new BadFile(j.file(), e.getMessage()));
        }
        Mask mask = null;
        switch (j.maskMode()) {
            case NONE -> mask = null;
            case EMPTY -> mask = Mask.empty(img.width(), img.height());
            case FILE -> {
                if (!Files.isRegularFile(j.maskFile())) {
                    return new Outcome(null, new BadFile(j.file(), "missing mask " + j.maskFile()));
                }
                try {
                    mask = Mask.fromImage(ImageDecoder.decode(j.maskFile()), 0.5f);
                } catch (ImageDecodeException e) {
                    return new Outcome(null, new BadFile(j.file(), "bad mask: " + e.getMessage()));
                } catch (InvalidImageException e) {
                    return new Outcome(null, new BadFile(j.file(), "bad mask " + j.maskFile() + ": "
                            + e.getMessage()));
                }
                if (mask.width() != img.width() || mask.height() != img.height()) {
                    return new Outcome(null, new BadFile(j.file(), "mask " + j.maskFile() + " is " + mask.width()
                            + "x" + mask.height() + " but the image is " + img.width() + "x" + img.height()));
                }
            }
            default -> throw new IllegalStateException(String.valueOf(j.maskMode()));
        }
        if (o.resizes()) {
            img = img.resize(o.width(), o.height());
            if (mask != null) {
                mask = mask.resize(o.width(), o.height());
            }
        }
        return new Outcome(new LabeledImage(j.id(), img, j.label(), j.defectType(), mask, j.file()), null);
    }

    /** The decoder's message without its leading "path: " (the bad file already names the path). */
    private static String withoutPath(Path file, String message) {
        String prefix = file + ": ";
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    // ------------------------------------------------------------------ listing

    /** Whether a file name is hidden (starts with a dot). */
    static boolean hidden(Path p) {
        Path n = p.getFileName();
        return n != null && n.toString().startsWith(".");
    }

    /** Non-hidden regular files of {@code dir}, sorted by file name. */
    static List<Path> files(Path dir) throws IOException {
        return list(dir, false);
    }

    /** Non-hidden sub-folders of {@code dir}, sorted by name. */
    static List<Path> subdirs(Path dir) throws IOException {
        return list(dir, true);
    }

    private static List<Path> list(Path dir, boolean dirs) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !hidden(p))
                    .filter(p -> dirs ? Files.isDirectory(p) : Files.isRegularFile(p))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The file name without its last extension. */
    static String stem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /** The lower-case last extension of a file name, without the dot ("" when none). */
    static String extension(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }

    /** {@code file} relative to {@code base}, with '/' separators: an image id. */
    static String relativeId(Path base, Path file) {
        Path rel = base.relativize(file);
        StringBuilder sb = new StringBuilder();
        for (Path part : rel) {
            if (!sb.isEmpty()) {
                sb.append('/');
            }
            sb.append(part);
        }
        return sb.toString();
    }

    /** Requires a directory, else a {@link DataFormatException} naming it and what was expected. */
    static void requireDir(Path dir, String what) throws DataFormatException {
        if (!Files.isDirectory(dir)) {
            throw new DataFormatException(dir, (Files.exists(dir) ? "not a folder" : "not found") + ": expected "
                    + what);
        }
    }
}
