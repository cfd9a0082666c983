package org.ringchat.app;

import java.io.PrintWriter;
import java.util.Arrays;
import org.ringchat.app.bench.BenchCommand;
import org.ringchat.app.bench.BenchNodeCommand;
import picocli.CommandLine;

/**
 * The {@code ringchat} command: parses the options and runs one chat node until it leaves; or,
 * when the first argument is {@code bench}, the benchmark ({@code bench-node} is its hidden worker);
 * {@code cds-training} is the build's hidden training run of the class-data archive.
 */
public final class Main {

    /** Exit code after a graceful leave. */
    public static final int EXIT_OK = 0;
    /** Exit code when the node could not start, join or stay in the ring. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code for a bad command line. */
    public static final int EXIT_USAGE = 2;

    private Main() {
    }

    /**
     * Netty's buffer events for Java Flight Recorder, off unless asked for
     * ({@code -Dio.netty.jfr.enabled=true}): the first buffer a node allocated for a peer (its first
     * joiner, for a leader) loaded and registered them, and with them JFR's event machinery, about
     * 0.5 s of a fresh node's thread (class-load log of a leader at a join). JFR itself still
     * records everything else.
     */
    static final String NETTY_JFR = "io.netty.jfr.enabled";

    public static void main(String[] args) {
        if (System.getProperty(NETTY_JFR) == null) {
            System.setProperty(NETTY_JFR, "false"); // before any Netty class is loaded
        }
        System.exit(run(args));
    }

    /** Runs the command and returns its exit code; never calls {@code System.exit}. */
    public static int run(String... args) {
        return commandLine(args).execute(withoutSubcommand(args));
    }

    /** Like {@link #run(String...)} but with the help, version and error text going to the given writers. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cmd = commandLine(args);
        cmd.setOut(out);
        cmd.setErr(err);
        return cmd.execute(withoutSubcommand(args));
    }

    /**
     * The command line for these arguments: a subcommand's when the first one names it, the chat
     * node's otherwise. The subcommands are not picocli subcommands of the chat node's command,
     * whose required options ({@code -n}, {@code -l} or {@code -np}) picocli would then ask of
     * them too.
     */
    static CommandLine commandLine(String... args) {
        Object sub = args.length > 0 ? subcommand(args[0]) : null;
        if (sub == null) {
            return commandLine(new Options());
        }
        CommandLine cmd = configure(new CommandLine(sub));
        cmd.setCommandName("ringchat " + cmd.getCommandName());
        return cmd;
    }

    /** The arguments for the command line {@link #commandLine(String...)} chose: without the subcommand's name. */
    private static String[] withoutSubcommand(String[] args) {
        return args.length > 0 && subcommand(args[0]) != null ? Arrays.copyOfRange(args, 1, args.length) : args;
    }

    /** A new instance of the subcommand called {@code name}, or null when there is none. */
    private static Object subcommand(String name) {
        return switch (name) {
            case "bench" -> new BenchCommand();
            case "bench-node" -> new BenchNodeCommand();
            case "cds-training" -> new CdsTraining();
            default -> null;
        };
    }

    static CommandLine commandLine(Options options) {
        return configure(new CommandLine(options));
    }

    private static CommandLine configure(CommandLine cmd) {
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
