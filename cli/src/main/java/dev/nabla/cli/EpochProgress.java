package dev.nabla.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * One progress bar per epoch on the command's standard output. While an epoch runs, a terminal
 * shows the library's bar (samples done, elapsed time, and a message with step, running loss,
 * accuracy and samples per second), redrawn in place. When it ends, the bar is replaced by one
 * line written here — the record of the epoch — so the record is the same on a terminal, in a
 * pipe or in a test, and a late redraw from the bar's timer thread cannot overwrite it. Long runs
 * keep the line of every k-th epoch only (see {@link #shown}).
 */
final class EpochProgress {
    /** Most epoch lines a run prints. */
    static final int MAX_LINES = 40;

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
        this.width = columns - 1;
    }

    /** Whether epoch {@code epoch} of {@code epochs} keeps its line: the first, the last and every k-th. */
    static boolean shown(int epoch, int epochs) {
        int every = (epochs + MAX_LINES - 1) / MAX_LINES;
        return epoch == 1 || epoch == epochs || epoch % every == 0;
    }

    /**
     * Whether standard output is a terminal. Up to JDK 21 a console exists only then; from JDK 22 a
     * console may exist without a terminal and {@code Console.isTerminal()} says which.
     */
    static boolean stdoutIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException beforeJdk22) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** A bar for one epoch of {@code samples} samples; with {@code keep} false its final line is not kept. */
    Bar start(String task, long samples, boolean keep) {
        boolean utf8 = Charset.defaultCharset().name().equalsIgnoreCase("UTF-8");
        Consumer consumer = new Consumer(keep);
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(samples)
                .setUnit(" samples", 1)
                .setStyle(utf8 ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(interactive ? 100 : Integer.MAX_VALUE)
                .setConsumer(consumer)
                .build();
        return new Bar(bar, consumer, task);
    }

    /** One epoch's bar. */
    final class Bar implements AutoCloseable {
        private final ProgressBar bar;
        private final Consumer consumer;
        private final String task;

        private Bar(ProgressBar bar, Consumer consumer, String task) {
            this.bar = bar;
            this.consumer = consumer;
            this.task = task;
        }

        /** {@code samples} more done; {@code message} describes the state so far. */
        void step(long samples, String message) {
            bar.stepBy(samples);
            bar.setExtraMessage(message);
        }

        /** Ends the epoch with its record line: the task name followed by {@code summary}. */
        void finish(String summary) {
            consumer.finish(task + " " + summary);
            bar.close();
        }

        /** Stops the bar (after {@link #finish}, or when the epoch failed). */
        @Override
        public void close() {
            bar.close();
        }
    }

    /** Draws the library's bar on a terminal; writes the record line itself. */
    private final class Consumer implements ProgressBarConsumer {
        private final boolean keep;
        private boolean finished;
        private int drawn;

        Consumer(boolean keep) {
            this.keep = keep;
        }

        @Override
        public int getMaxRenderedLength() {
            return width;
        }

        @Override
        public synchronized void accept(String rendered) {
            if (finished || !interactive) {
                return;
            }
            out.print('\r');
            out.print(rendered);
            out.flush();
            drawn = rendered.length();
        }

        synchronized void finish(String line) {
            finished = true;
            if (drawn > 0) {
                out.print('\r' + " ".repeat(drawn) + '\r');
            }
            if (keep) {
                out.println(line);
            }
            out.flush();
        }

        @Override
        public synchronized void close() {
            if (!finished) { // the epoch failed: leave the bar as it was, on its own line
                finished = true;
                if (drawn > 0) {
                    out.println();
                    out.flush();
                }
            }
        }
    }
}
