package org.ringchat.ring.sim;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the nodes' diagnostic logging down to ERROR while simulations run: thousands of faults
 * make thousands of WARN lines, while an ERROR (a step that threw) must still show.
 */
final class QuietLogs implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger("org.ringchat");
    private final Level before = logger.getLevel();

    QuietLogs() {
        logger.setLevel(Level.ERROR);
    }

    @Override
    public void close() {
        logger.setLevel(before);
    }
}
