package org.anomaly4j.examples.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

import org.anomaly4j.api.InvalidConfigException;

/**
 * The {@code anomaly4j} command line. Exit status: 0 success, 1 bad data or failure, 2 bad arguments.
 */
public final class Anomaly4jCli {
    static final String USAGE = String.join("\n",
            "usage: anomaly4j <command> [options]",
            "",
            "commands:",
            "  demo  [--out DIR]                       fit and evaluate every demo detector on generated defects",
            "  list                                    detectors and their parameters",
            "  fit   --method NAME [--param k=v]... --data ROOT --layout L [--category C] --model FILE",
            "  score --model FILE [--heatmaps DIR] [--csv FILE] IMAGE_OR_DIR...",
            "  eval  (--method NAME [--param k=v]... | --model FILE) --data ROOT --layout L [--category C] [--out DIR]",
            "  bench WHAT [options]                    benchmark programs ('anomaly4j bench --help')",
            "",
            "layouts: mvtec | folder | mtd | fashion-mnist   (--category: MVTec category, or normal class 0-9)",
            "'anomaly4j <command> --help' describes a command.");

    private Anomaly4jCli() {
    }

    public static void main(String[] argv) {
        int status = run(argv, System.out, System.err);
        System.exit(status);
    }

    /** Runs one command; returns the exit status. */
    public static int run(String[] argv, PrintStream out, PrintStream err) {
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-h") || argv[0].equals("help")) {
            (argv.length == 0 ? err : out).println(USAGE);
            return argv.length == 0 ? 2 : 0;
        }
        String cmd = argv[0];
        Set<String> flags = Set.of("help", "quiet");
        try {
            if (cmd.equals("bench")) {
                return BenchCommand.dispatch(argv, out, err);
            }
            Args args = new Args(argv, 1, flags);
            Command c = switch (cmd) {
                case "demo" -> new DemoCommand();
                case "list" -> new ListCommand();
                case "fit" -> new FitCommand();
                case "score" -> new ScoreCommand();
                case "eval" -> new EvalCommand();
                default -> throw new UsageException("unknown command '" + cmd + "'; try 'anomaly4j --help'");
            };
            if (args.has("help")) {
                out.println(c.help());
                return 0;
            }
            return c.run(args, out, err);
        } catch (UsageException | InvalidConfigException e) {
            err.println("anomaly4j " + cmd + ": " + e.getMessage());
            return 2;
        } catch (NoSuchFileException e) {
            err.println("anomaly4j " + cmd + ": no such file: " + e.getFile());
            return 1;
        } catch (IOException | UncheckedIOException | IllegalStateException
                | IllegalArgumentException e) {
            err.println("anomaly4j " + cmd + ": " + e.getMessage());
            return 1;
        }
    }

    /** One subcommand. */
    interface Command {
        String help();

        int run(Args args, PrintStream out, PrintStream err) throws IOException;
    }

    static Path outDir(Args args, String def) throws IOException {
        Path p = Path.of(args.get("out", def));
        Files.createDirectories(p);
        return p;
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
