package org.ringchat.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.slf4j.LoggerFactory;

/**
 * Diagnostic logging (logback). With {@code -v}: DEBUG and above on stderr. Without: WARN and
 * above, on stderr only when stderr is not the terminal that shows the chat; otherwise in the
 * diagnostics file next to the chat log ({@link #diagnosticsTo}), so that no diagnostic ever
 * lands in the chat or in the line being typed. JLine's java.util.logging records go the same way.
 */
final class Logging {

    private Logging() {
    }

    static void configure(boolean verbose) {
        if (!(LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root)) {
            return;
        }
        if (verbose) {
            root.setLevel(Level.DEBUG);
        } else if (stderrIsTheChatScreen()) {
            DiagnosticsAppender diagnostics = new DiagnosticsAppender();
            diagnostics.setContext(root.getLoggerContext());
            diagnostics.start();
            root.detachAppender(LogbackSetup.STDERR);
            root.addAppender(diagnostics);
        }
        julToSlf4j();
    }

    /** Once the file is known: the diagnostics that are kept off the screen go to {@code path} from now on. */
    static void diagnosticsTo(Path path) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                && context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(DiagnosticsAppender.NAME)
                        instanceof DiagnosticsAppender diagnostics) {
            diagnostics.toFile(path);
        }
    }

    /**
     * True when stderr is the terminal stdout is on (Linux: the two descriptors lead to the same
     * terminal device; elsewhere: when there is a console at all, to be safe).
     */
    static boolean stderrIsTheChatScreen() {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return System.console() != null;
        }
        try {
            Path err = Files.readSymbolicLink(fds.resolve("2"));
            Path out = Files.readSymbolicLink(fds.resolve("1"));
            return err.equals(out) && isTerminal(err);
        } catch (IOException | UnsupportedOperationException e) {
            return System.console() != null;
        }
    }

    static boolean isTerminal(Path device) {
        String d = device.toString();
        return d.startsWith("/dev/pts/") || d.startsWith("/dev/tty") || d.equals("/dev/console");
    }

    /** JLine logs through java.util.logging, which writes to stderr on its own: send it to logback. */
    private static final SimpleFormatter MESSAGES = new SimpleFormatter();

    private static void julToSlf4j() {
        java.util.logging.Logger julRoot = LogManager.getLogManager().getLogger("");
        for (Handler h : julRoot.getHandlers()) {
            julRoot.removeHandler(h);
        }
        julRoot.setLevel(java.util.logging.Level.WARNING);
        julRoot.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (isLoggable(record)) {
                    LoggerFactory.getLogger(String.valueOf(record.getLoggerName()))
                            .warn(MESSAGES.formatMessage(record), record.getThrown());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }
}
