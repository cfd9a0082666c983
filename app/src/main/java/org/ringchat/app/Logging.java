package org.ringchat.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Diagnostic logging (logback, stderr only): WARN and above normally, DEBUG with {@code -v}. */
final class Logging {

    private Logging() {
    }

    static void configure(boolean verbose) {
        if (verbose && LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(Level.DEBUG);
        }
    }
}
