package org.ringchat.app;

import java.io.PrintWriter;
import picocli.CommandLine;

/** The {@code ringchat} command: parses the options and runs one chat node until it leaves. */
public final class Main {

    /** Exit code after a graceful leave. */
    public static final int EXIT_OK = 0;
    /** Exit code when the node could not start, join or stay in the ring. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code for a bad command line. */
    public static final int EXIT_USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command and returns its exit code; never calls {@code System.exit}. */
    public static int run(String... args) {
        CommandLine cmd = commandLine(new Options());
        return cmd.execute(args);
    }

    /** Like {@link #run(String...)} but with the help, version and error text going to the given writers. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cmd = commandLine(new Options());
        cmd.setOut(out);
        cmd.setErr(err);
        return cmd.execute(args);
    }

    static CommandLine commandLine(Options options) {
        CommandLine cmd = new CommandLine(options);
        cmd.setExitCodeExceptionMapper(e -> EXIT_FAILURE);
        cmd.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("error: " + uncapitalize(e.getMessage()));
            e.getCommandLine().getErr().flush();
            return EXIT_USAGE;
        });
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + Failures.describe(e));
            commandLine.getErr().flush();
            return EXIT_FAILURE;
        });
        return cmd;
    }

    private static String uncapitalize(String message) {
        if (message == null || message.isEmpty()) {
            return "bad command line";
        }
        if (message.startsWith("Error: ")) {
            message = message.substring("Error: ".length());
        }
        return Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }
}
