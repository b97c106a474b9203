package org.anomaly4j.examples.cli;

import java.io.PrintStream;

import org.anomaly4j.api.ProgressListener;

/** Draws a one-line progress bar on standard error when it is a terminal; silent otherwise. */
final class ProgressBar implements ProgressListener {
    private final PrintStream out;
    private final boolean enabled;
    private long lastDraw;
    private String lastStage = "";

    ProgressBar(PrintStream out, boolean enabled) {
        this.out = out;
        this.enabled = enabled;
    }

    static ProgressBar forStderr() {
        return new ProgressBar(System.err, System.console() != null);
    }

    @Override
    public synchronized void progress(String stage, long done, long total) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        boolean finished = total > 0 && done >= total;
        if (!finished && stage.equals(lastStage) && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        lastStage = stage;
        StringBuilder b = new StringBuilder("\r");
        String label = stage.length() > 28 ? stage.substring(0, 28) : stage;
        b.append(String.format("%-28s ", label));
        if (total > 0) {
            int width = 30;
            int filled = (int) Math.min(width, width * done / total);
            b.append('[').append("#".repeat(filled)).append(" ".repeat(width - filled)).append("] ");
            b.append(done).append('/').append(total);
        } else {
            b.append(done);
        }
        b.append("   ");
        out.print(b);
        if (finished) {
            out.print("\r" + " ".repeat(b.length()) + "\r");
        }
        out.flush();
    }
}
