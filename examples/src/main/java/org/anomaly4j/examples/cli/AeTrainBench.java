package org.anomaly4j.examples.cli;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.anomaly4j.api.AnomalyImage;
import org.anomaly4j.api.ImageSet;
import org.anomaly4j.reconstruction.ReconstructionConfig;
import org.anomaly4j.reconstruction.ReconstructionDetector;

/**
 * {@code anomaly4j bench ae-train}: training speed of the convolutional autoencoder ({@code ae},
 * L2) through the shared DJL training loop against the same network, loss, optimizer and batch size
 * in PyTorch from Python ({@code tools/ae_train_bench.py}), in interleaved rounds of the same number
 * of steps so that machine load hits both alike. Prints images/s (median over rounds) and the ratio
 * ours / Python.
 */
final class AeTrainBench implements Anomaly4jCli.Command {
    @Override
    public String help() {
        return String.join("\n",
                "usage: anomaly4j bench ae-train [options]",
                "",
                "Trains the ae detector's network (L2 loss, Adam) on random images for --steps batches per round,",
                "alternating with tools/ae_train_bench.py (the same network in PyTorch from Python), --rounds",
                "rounds after one warm-up round each; reports the median images/s of both and their ratio.",
                "",
                "options:",
                "  --size S          square input size (default 64)",
                "  --channels C      1 or 3 (default 1)",
                "  --filters F       first-stage filters (default 32)",
                "  --latent L        code size (default 100)",
                "  --batch B         batch size (default 32)",
                "  --steps N         training steps per round (default 10)",
                "  --rounds R        timed rounds (default 5)",
                "  --threads T       intra-op threads of both (default 1; ours: set before the engine loads)",
                "  --python EXE      Python of the reference (default /usr/bin/python3)",
                "  --script FILE     the reference script (default tools/ae_train_bench.py)",
                "  --out FILE        write the report as JSON");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws IOException {
        int size = args.integer("size", 64);
        int channels = args.integer("channels", 1);
        int filters = args.integer("filters", 32);
        int latent = args.integer("latent", 100);
        int batch = args.integer("batch", 32);
        int steps = args.integer("steps", 10);
        int rounds = args.integer("rounds", 5);
        int threads = args.integer("threads", 1);
        String python = args.get("python", "/usr/bin/python3");
        Path script = Path.of(args.get("script", "tools/ae_train_bench.py"));
        String outFile = args.get("out", null);
        args.rejectUnknown();
        if (steps < 1 || rounds < 1 || batch < 1 || threads < 1) {
            throw new UsageException("--steps, --rounds, --batch and --threads must be >= 1");
        }
        if (!Files.isRegularFile(script)) {
            throw new UsageException("reference script not found: " + script + " (run from the project root or pass --script)");
        }
        String prop = System.getProperty("ai.djl.pytorch.num_threads");
        if (prop == null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        } else if (!prop.equals(Integer.toString(threads))) {
            err.println("warning: ai.djl.pytorch.num_threads=" + prop + " was set for the JVM; ours runs with it, "
                    + "Python with " + threads);
        }
        ReconstructionConfig config = ReconstructionConfig.builder(ReconstructionConfig.Method.AE).optSize(size, size)
                .optChannels(channels).optFilters(filters).optLatent(latent).optBatchSize(batch).optEpochs(1)
                .put("loss", "l2").build();
        int depth = config.depth();
        List<AnomalyImage> imgs = new ArrayList<>();
        Random r = new Random(0);
        for (int i = 0; i < steps * batch; i++) {
            float[] v = new float[channels * size * size];
            for (int k = 0; k < v.length; k++) {
                v[k] = r.nextFloat();
            }
            imgs.add(AnomalyImage.of(size, size, channels, v));
        }
        ImageSet set = ImageSet.ofNormals("random", imgs);
        List<String> cmd = List.of(python, script.toString(), "--serve", "--size", "" + size, "--channels", "" + channels,
                "--filters", "" + filters, "--latent", "" + latent, "--depth", "" + depth, "--batch", "" + batch,
                "--threads", "" + threads, "--steps", "" + steps);
        double[] ours = new double[rounds];
        double[] theirs = new double[rounds];
        String torch;
        out.printf(Locale.ROOT, "ae-train: %dx%dx%d, filters %d, latent %d, depth %d, batch %d, %d steps x %d rounds, "
                + "%d thread(s)%n", channels, size, size, filters, latent, depth, batch, steps, rounds, threads);
        try (Reference ref = new Reference(cmd)) {
            torch = ref.torch;
            timeOurs(set, config); // warm-up (the reference warms up at start)
            for (int i = 0; i < rounds; i++) {
                theirs[i] = ref.train(steps);
                ours[i] = timeOurs(set, config);
                out.printf(Locale.ROOT, "  round %d: ours %.1f img/s, PyTorch %.1f img/s, ratio %.3f%n", i + 1,
                        steps * batch / ours[i], steps * batch / theirs[i], theirs[i] / ours[i]);
            }
        }
        double oursIps = steps * batch / median(ours);
        double refIps = steps * batch / median(theirs);
        out.printf(Locale.ROOT, "%-28s %12s%n", "implementation", "images/s");
        out.printf(Locale.ROOT, "%-28s %12.1f%n", "anomaly4j (DJL TrainingLoop)", oursIps);
        out.printf(Locale.ROOT, "%-28s %12.1f%n", "PyTorch " + torch + " (Python)", refIps);
        double[] ratios = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            ratios[i] = theirs[i] / ours[i];
        }
        out.printf(Locale.ROOT, "ratio ours / PyTorch: %.3f (medians), %.3f (median of the per-round ratios)%n",
                oursIps / refIps, median(ratios));
        if (outFile != null) {
            JsonObject o = new JsonObject();
            o.addProperty("size", size);
            o.addProperty("channels", channels);
            o.addProperty("filters", filters);
            o.addProperty("latent", latent);
            o.addProperty("depth", depth);
            o.addProperty("batch", batch);
            o.addProperty("steps", steps);
            o.addProperty("threads", threads);
            o.addProperty("torch", torch);
            o.addProperty("ours_images_per_s", oursIps);
            o.addProperty("pytorch_images_per_s", refIps);
            o.addProperty("ratio", oursIps / refIps);
            o.addProperty("median_round_ratio", median(ratios));
            JsonArray a = new JsonArray();
            Arrays.stream(ours).forEach(a::add);
            o.add("ours_seconds", a);
            JsonArray b = new JsonArray();
            Arrays.stream(theirs).forEach(b::add);
            o.add("pytorch_seconds", b);
            Files.writeString(Path.of(outFile), new GsonBuilder().setPrettyPrinting().create().toJson(o));
        }
        return 0;
    }

    /** Seconds of the training loop alone (from the fit's provenance), one epoch = the steps. */
    private static double timeOurs(ImageSet set, ReconstructionConfig config) {
        try (ReconstructionDetector d = ReconstructionDetector.fit(set, config)) {
            return Double.parseDouble(d.provenance().notes().get("train_seconds"));
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** tools/ae_train_bench.py --serve. */
    private static final class Reference implements AutoCloseable {
        private final Process process;
        private final BufferedReader in;
        private final BufferedWriter toPy;
        final String torch;

        Reference(List<String> cmd) throws IOException {
            process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            toPy = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            String ready = in.readLine();
            if (ready == null) {
                throw new IOException("the Python reference did not start: " + String.join(" ", cmd));
            }
            torch = JsonParser.parseString(ready).getAsJsonObject().get("torch").getAsString();
        }

        double train(int steps) throws IOException {
            toPy.write("train " + steps + "\n");
            toPy.flush();
            String line = in.readLine();
            if (line == null) {
                throw new IOException("the Python reference exited");
            }
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            if (o.has("error")) {
                throw new IOException("Python reference: " + o.get("error").getAsString());
            }
            return o.get("seconds").getAsDouble();
        }

        @Override
        public void close() {
            try {
                toPy.write("quit\n");
                toPy.flush();
            } catch (IOException e) {
                // already gone
            }
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroy();
                }
            } catch (InterruptedException e) {
                process.destroy();
                Thread.currentThread().interrupt();
            }
        }
    }
}
