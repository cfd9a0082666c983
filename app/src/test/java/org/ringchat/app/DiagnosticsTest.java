package org.ringchat.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Diagnostics kept off the chat screen: they wait for their file, then go there, next to the chat log. */
class DiagnosticsTest {

    @TempDir
    Path tmp;

    @Test
    void warningsWaitForTheFileThenGoThereInOrder() throws IOException {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        DiagnosticsAppender diagnostics = new DiagnosticsAppender();
        diagnostics.setContext(context);
        diagnostics.start();
        Logger log = context.getLogger("test");
        log.setAdditive(false);
        log.addAppender(diagnostics);

        // before the port is known: kept
        log.warn("before the file");
        Path file = tmp.resolve("ringchat_5000.diag.log");
        assertFalse(Files.exists(file));

        // named: what waited comes first, then the rest
        diagnostics.toFile(file);
        log.warn("after the file");
        diagnostics.stop();
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size(), lines::toString);
        assertTrue(lines.get(0).endsWith("WARN  [main] test - before the file"), lines.get(0));
        assertTrue(lines.get(1).endsWith("test - after the file"), lines.get(1));
    }

    @Test
    void theDiagnosticsFileSitsNextToTheChatLog() {
        assertEquals(Path.of("ringchat_5000.diag.log"), ChatLog.diagnostics(Path.of("chat_5000.log")));
        assertEquals(Path.of("logs/ringchat_127.0.0.2_5000.diag.log"),
                ChatLog.diagnostics(Path.of("logs/chat_127.0.0.2_5000.log")));
    }

    @Test
    void terminalsAreRecognisedByTheirDevice() {
        assertTrue(Logging.isTerminal(Path.of("/dev/pts/3")));
        assertTrue(Logging.isTerminal(Path.of("/dev/tty1")));
        assertFalse(Logging.isTerminal(Path.of("pipe:[1234]")));
        assertFalse(Logging.isTerminal(Path.of("/tmp/err.txt")));
        // in the test run stderr is a pipe or a file, not the chat screen
        assertFalse(Logging.stderrIsTheChatScreen());
    }
}
