package dev.nabla.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * One progress bar per epoch on the command's standard output: samples done and, in the message,
 * the step, running loss and accuracy, and samples per second. On a terminal it redraws in place;
 * otherwise (a pipe, a file, a test) only each epoch's final state is written, one line per epoch.
 * Long runs keep the line of every k-th epoch only (see {@link #shown}).
 */
final class EpochProgress {
    private final PrintWriter out;
    private final boolean interactive;
    private final int width;

    EpochProgress(PrintWriter out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
        int columns = 120;
        try {
            String env = System.getenv("COLUMNS");
            if (env != null) {
                columns = Math.max(60, Integer.parseInt(env.trim()));
            }
        } catch (NumberFormatException ignored) {
            // keep the default width
        }
        this.width = interactive ? columns - 1 : 160;
    }

    /** Most epoch lines a run prints. */
    static final int MAX_LINES = 40;

    /** Whether epoch {@code epoch} of {@code epochs} keeps its line: the first, the last and every k-th. */
    static boolean shown(int epoch, int epochs) {
        int every = (epochs + MAX_LINES - 1) / MAX_LINES;
        return epoch == 1 || epoch == epochs || epoch % every == 0;
    }

    /** Whether this JVM writes to a terminal (a console with both streams attached). */
    static boolean stdoutIsTerminal() {
        return System.console() != null;
    }

    /**
     * A bar for one epoch. When {@code keep} is false the bar disappears when closed (a terminal)
     * or is never written (elsewhere), so long runs print a bounded number of lines.
     */
    ProgressBar start(String task, long samples, boolean keep) {
        boolean utf8 = Charset.defaultCharset().name().equalsIgnoreCase("UTF-8");
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(samples)
                .setUnit(" samples", 1)
                .setStyle(interactive && utf8 ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(interactive ? 100 : Integer.MAX_VALUE)
                .setConsumer(new Consumer(keep))
                .build();
    }

    /** Redraws with a carriage return on a terminal; elsewhere keeps only the last state. */
    private final class Consumer implements ProgressBarConsumer {
        private final boolean keep;
        private String last = "";

        Consumer(boolean keep) {
            this.keep = keep;
        }

        @Override
        public int getMaxRenderedLength() {
            return width;
        }

        @Override
        public void accept(String rendered) {
            last = rendered;
            if (interactive) {
                out.print('\r');
                out.print(rendered);
                out.flush();
            }
        }

        @Override
        public void close() {
            if (keep) {
                if (!interactive) {
                    out.print(last.stripTrailing());
                }
                out.println();
            } else if (interactive) {
                out.print('\r' + " ".repeat(last.length()) + '\r');
            }
            out.flush();
        }
    }
}
