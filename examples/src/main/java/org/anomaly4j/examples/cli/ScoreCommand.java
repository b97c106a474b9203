package org.anomaly4j.examples.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.Detector;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.api.ImageScore;
import org.anomaly4j.api.PixelMap;
import org.anomaly4j.data.FolderLayout;
import org.anomaly4j.data.ImageDecodeException;
import org.anomaly4j.data.ImageDecoder;
import org.anomaly4j.metrics.Heatmaps;

/** {@code anomaly4j score}: scores images with a saved detector. */
final class ScoreCommand implements Anomaly4jCli.Command {
    @Override
    public String help() {
        return String.join("\n",
                "usage: anomaly4j score --model FILE [--heatmaps DIR] [--csv FILE] IMAGE_OR_DIR...",
                "",
                "Scores each image (directories: their image files, sorted) with the saved detector and prints",
                "file, raw score, and for a calibrated detector the normalised score (0.5 = threshold) and verdict.",
                "--heatmaps DIR writes an overlay PNG per image (input | map | blend); --csv FILE writes the table.",
                "Unreadable files are reported and skipped; the rest are scored.");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws IOException {
        Path modelFile = args.path("model");
        Path heatmaps = args.has("heatmaps") ? Path.of(args.get("heatmaps", null)) : null;
        Path csv = args.has("csv") ? Path.of(args.get("csv", null)) : null;
        args.rejectUnknown();
        if (args.positional().isEmpty()) {
            throw new UsageException("give at least one image file or directory to score");
        }
        List<Path> files = new ArrayList<>();
        for (String s : args.positional()) {
            Path p = Path.of(s);
            if (Files.isDirectory(p)) {
                try (Stream<Path> st = Files.list(p)) {
                    st.filter(Files::isRegularFile).filter(ScoreCommand::isImage).sorted().forEach(files::add);
                }
            } else if (Files.exists(p)) {
                files.add(p);
            } else {
                throw new UsageException("no such file or directory: " + s);
            }
        }
        int bad = 0;
        List<String> rows = new ArrayList<>();
        rows.add("file,score,normalized,anomalous");
        try (Detector d = Detectors.load(modelFile)) {
            ProgressBar bar = ProgressBar.forStderr();
            for (int i = 0; i < files.size(); i++) {
                Path f = files.get(i);
                AnomalyImage img;
                try {
                    img = ImageDecoder.decode(f);
                } catch (ImageDecodeException e) {
                    err.println("anomaly4j score: skipped " + e.getMessage());
                    bad++;
                    continue;
                }
                ImageScore s = d.score(img);
                String norm = s.normalized().map(v -> String.format(Locale.ROOT, "%.4f", v)).orElse("");
                String verdict = s.normalized().isPresent() ? (s.isAnomalous() ? "anomalous" : "normal") : "";
                out.printf(Locale.ROOT, "%-50s %12.5f %8s %s%n", f, s.score(), norm, verdict);
                rows.add(csvField(f.toString()) + "," + s.score() + "," + norm + "," + verdict);
                if (heatmaps != null && s.map().isPresent()) {
                    PixelMap m = s.map().get();
                    Path png = heatmaps.resolve(stem(f) + "_heatmap.png");
                    Heatmaps.writePng(Heatmaps.overlay(img, m, null, m.min(), m.max()), png);
                }
                bar.progress("score", i + 1, files.size());
            }
        }
        if (csv != null) {
            if (csv.toAbsolutePath().getParent() != null) {
                Files.createDirectories(csv.toAbsolutePath().getParent());
            }
            try (Writer w = Files.newBufferedWriter(csv)) {
                for (String r : rows) {
                    w.write(r);
                    w.write('\n');
                }
            }
        }
        if (bad > 0) {
            err.println("anomaly4j score: " + bad + " of " + files.size() + " files could not be read");
        }
        return bad == files.size() ? 1 : 0;
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot > 0 && FolderLayout.EXTENSIONS.contains(n.substring(dot + 1));
    }

    private static String stem(Path f) {
        String n = f.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
