package org.ringchat.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node whose stdout nobody reads (a bot that stopped reading) while the ring floods it: its chat
 * log still gets every line, it stays in the ring, and once its output is read again it says how
 * many lines it did not show ({@link DetachedScreen}).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class UnreadOutputIT extends ProcessTest {

    static final Duration WAIT = Duration.ofSeconds(120);
    /** More output than the screen may hold back ({@link DetachedScreen#MAX_PENDING_BYTES}): about 23 MB at bob. */
    static final int LINES = 80_000;
    static final int TEXT_CHARS = 250;

    @Test
    void theLogGetsEveryLineAndTheScreenSaysWhatItDidNotShow() throws Exception {
        RingProcess alice = add(RingProcess.leader(tmp, "alice", RingProcess.freePort()));
        await().atMost(WAIT).until(() -> alice.stdout().stream().anyMatch(l -> l.startsWith("* started a new ring")));
        int bobPort = RingProcess.freePort();
        Path bobDir = Files.createDirectories(tmp.resolve("bob"));
        // started here, not by RingProcess, which reads every process's stdout
        List<String> command = new ArrayList<>(RingProcess.java());
        command.addAll(List.of("--pipe", "-a", RingProcess.HOST, "-p", String.valueOf(bobPort), "-n", "bob",
                "-na", RingProcess.HOST, "-np", String.valueOf(alice.port())));
        Process bob = new ProcessBuilder(command).directory(bobDir.toFile())
                .redirectError(bobDir.resolve("stderr").toFile()).start();
        try (BufferedReader bobOut = new BufferedReader(new InputStreamReader(bob.getInputStream(), StandardCharsets.UTF_8))) {
            // read until bob has joined, then no more
            for (String line = bobOut.readLine(); !line.startsWith("* joined the ring"); line = bobOut.readLine()) {
                assertTrue(line != null, "bob ended before joining");
            }

            StringBuilder paste = new StringBuilder();
            String filler = "x".repeat(TEXT_CHARS - 8);
            for (int i = 0; i < LINES; i++) {
                paste.append(String.format("%07d ", i)).append(filler).append('\n');
            }
            alice.sendLine(paste.toString());

            // the ring goes on: alice shows every line, and bob logs every line while nobody reads him
            await().atMost(WAIT).until(() -> alice.chatLines().size() == LINES);
            Path bobLog = bobDir.resolve("chat_" + bobPort + ".log");
            await().atMost(WAIT).until(() -> chatLines(Files.readAllLines(bobLog, StandardCharsets.UTF_8)) == LINES);
            assertTrue(bob.isAlive());

            // bob's output, read now: the lines that fitted, in order, and how many did not
            bob.getOutputStream().close(); // end of input: bob leaves once he has printed what he holds
            List<String> shown = new ArrayList<>();
            long notShown = 0;
            for (String line = bobOut.readLine(); line != null; line = bobOut.readLine()) {
                if (line.startsWith("> ")) {
                    shown.add(line);
                } else if (line.startsWith("* ") && line.contains("not shown: the output was not read fast enough")) {
                    notShown += Long.parseLong(line.substring(2, line.indexOf(' ', 2)));
                }
            }
            assertTrue(bob.waitFor(60, TimeUnit.SECONDS), "bob did not leave");
            assertTrue(notShown > 0, "nothing was dropped: the test did not fill bob's screen");
            assertEquals(LINES, shown.size() + notShown, "shown " + shown.size() + ", not shown " + notShown);
            long last = -1;
            for (String line : shown) {
                long id = Long.parseLong(line.substring(line.indexOf("]: ") + 3, line.indexOf("]: ") + 10));
                assertTrue(id > last, "out of order at " + line);
                last = id;
            }
        } finally {
            bob.destroyForcibly();
        }
    }

    private static long chatLines(List<String> log) {
        return log.stream().filter(l -> l.contains(" > alice(")).count();
    }
}
