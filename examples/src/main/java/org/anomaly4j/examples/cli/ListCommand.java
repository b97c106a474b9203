package org.anomaly4j.examples.cli;

import java.io.PrintStream;

import org.anomaly4j.api.DetectorProvider;
import org.anomaly4j.api.Detectors;
import org.anomaly4j.api.ParamSpec;

/** {@code anomaly4j list}: every registered detector with its parameters and defaults. */
final class ListCommand implements Anomaly4jCli.Command {
    @Override
    public String help() {
        return "usage: anomaly4j list\n\nLists every detector on the class path, its family, and its parameters "
                + "(name, type, default, meaning). Pass parameters to fit/eval as --param name=value.";
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) {
        args.rejectUnknown();
        for (DetectorProvider p : Detectors.list()) {
            out.printf("%s  [%s]%n    %s%n", p.typeId(), p.family(), p.description());
            for (ParamSpec s : p.parameters()) {
                out.printf("    --param %-18s %-20s default %-8s %s%n", s.name() + "=", s.type(), s.defaultValue(),
                        s.description());
            }
            out.println();
        }
        return 0;
    }
}
