package org.ringchat.app;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Diagnostics kept off the chat screen: events wait in memory (at most {@link #MAX_WAITING}) until
 * {@link #toFile} names the file, known once the node has bound its port, and are then appended
 * there. A file that cannot be opened loses the diagnostics, never the chat: nothing is ever
 * written to the terminal.
 */
final class DiagnosticsAppender extends AppenderBase<ILoggingEvent> {

    static final String NAME = "DIAGNOSTICS";
    /** Events kept before the file is known; later ones are dropped until then. */
    static final int MAX_WAITING = 1000;
    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n";

    private final List<ILoggingEvent> waiting = new ArrayList<>();
    private FileAppender<ILoggingEvent> file;

    DiagnosticsAppender() {
        setName(NAME);
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (file != null) {
            file.doAppend(event);
        } else if (waiting.size() < MAX_WAITING) {
            event.prepareForDeferredProcessing();
            waiting.add(event);
        }
    }

    /** From now on appends to {@code path}, starting with what waited. */
    synchronized void toFile(Path path) {
        if (file != null) {
            return;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(getContext());
        encoder.setPattern(PATTERN);
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(getContext());
        appender.setName(NAME + "-file");
        appender.setFile(path.toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        file = appender;
        waiting.forEach(appender::doAppend);
        waiting.clear();
    }

    @Override
    public void stop() {
        synchronized (this) {
            if (file != null) {
                file.stop();
            }
        }
        super.stop();
    }
}
