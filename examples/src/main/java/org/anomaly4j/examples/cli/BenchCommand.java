package org.anomaly4j.examples.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code anomaly4j bench WHAT [options]}: benchmark programs (not unit tests). Each prints a table
 * and writes JSON; speed comparisons against the Python references are measured side by side in
 * the same run where the benchmark says so.
 */
final class BenchCommand implements Anomaly4jCli.Command {
    private static final Map<String, Anomaly4jCli.Command> BENCHMARKS = new LinkedHashMap<>();

    static {
        // one line per benchmark program
        BENCHMARKS.put("backbone", new BackboneBench());
        BENCHMARKS.put("coreset", new CoresetBench());
        BENCHMARKS.put("knn", new KnnBench());
        BENCHMARKS.put("fmnist", new FmnistBench());
        BENCHMARKS.put("pixel", new PixelBench());
        BENCHMARKS.put("ae-train", new AeTrainBench());
    }

    @Override
    public String help() {
        StringBuilder b = new StringBuilder("usage: anomaly4j bench WHAT [options]   ('anomaly4j bench WHAT --help')\n\n");
        b.append("benchmarks:");
        for (String k : BENCHMARKS.keySet()) {
            b.append(' ').append(k);
        }
        return b.toString();
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws IOException {
        throw new IllegalStateException("dispatched by name; see Anomaly4jCli");
    }

    /** Runs {@code bench WHAT ...}; argv[0] is "bench". */
    static int dispatch(String[] argv, PrintStream out, PrintStream err) throws IOException {
        if (argv.length < 2 || argv[1].startsWith("--")) {
            if (argv.length >= 2 && argv[1].equals("--help")) {
                out.println(new BenchCommand().help());
                return 0;
            }
            throw new UsageException("name a benchmark: " + String.join(", ", BENCHMARKS.keySet()));
        }
        Anomaly4jCli.Command c = BENCHMARKS.get(argv[1]);
        if (c == null) {
            throw new UsageException("unknown benchmark '" + argv[1] + "'; known: " + String.join(", ", BENCHMARKS.keySet()));
        }
        Args args = new Args(argv, 2, java.util.Set.of("help", "quiet", "no-python", "reference", "no-eval"));
        if (args.has("help")) {
            out.println(c.help());
            return 0;
        }
        return c.run(args, out, err);
    }
}
