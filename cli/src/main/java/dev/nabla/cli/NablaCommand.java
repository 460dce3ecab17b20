package dev.nabla.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code nabla} command. Bad input ends with one line naming the problem and exit code 2;
 * {@code --verbose} adds the stack trace.
 */
@Command(name = "nabla", mixinStandardHelpOptions = true, versionProvider = NablaCommand.Version.class,
        description = "Tensors with reverse-mode autodiff on CPU, CUDA and OpenCL.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, DevicesCommand.class, GradcheckCommand.class,
                SelftestCommand.class, BenchReportCommand.class})
public final class NablaCommand implements Runnable {

    @Option(names = "--verbose", description = "Print stack traces of errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command line and returns the exit code (0 ok, 1 a check failed, 2 bad input or error). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        NablaCommand root = new NablaCommand();
        CommandLine cl = new CommandLine(root);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean verbose = root.verbose;
            String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            commandLine.getErr().println("nabla: " + msg);
            if (verbose) {
                ex.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return 2;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("nabla: " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
            c.getErr().flush();
            return 2;
        });
        return cl.execute(args);
    }

    public static void main(String[] args) {
        // One line per log record ("INFO: nabla: cuda unavailable (...); using cpu"), not the JDK's two.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");
        }
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = execute(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = NablaCommand.class.getPackage().getImplementationVersion();
            return new String[] {"nabla " + (v == null ? "(development build)" : v),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
