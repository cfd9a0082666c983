package org.ringchat.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code chat_<port>.log}: a header per run, T that never goes backwards across restarts, one
 * file per node when two share a port on different addresses, {@code --log-dir}, and a log that
 * cannot be written.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ChatLogIT extends ProcessTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final Pattern HEADER = Pattern.compile("(\\d+): ringchat (\\S+): (\\S+)\\((\\S+)\\) started (\\S+)");

    @Test
    void eachRunStartsWithAHeaderAndTNeverGoesBackAcrossRestarts() throws IOException {
        int port = RingProcess.freePort();
        Path dir = tmp.resolve("alice");
        long lastOfFirstRun = runAndLeave(dir, port, "first run");
        runAndLeave(dir, port, "second run");

        List<String> log = Files.readAllLines(dir.resolve("chat_" + port + ".log"), StandardCharsets.UTF_8);
        List<String> headers = log.stream().filter(l -> HEADER.matcher(l).matches()).toList();
        assertEquals(2, headers.size(), String.join("\n", log));
        // the header opens each run: name, address, version, start time
        assertTrue(HEADER.matcher(log.get(0)).matches(), log.get(0));
        Matcher second = HEADER.matcher(headers.get(1));
        assertTrue(second.matches());
        assertEquals("alice", second.group(3));
        assertEquals("127.0.0.1:" + port, second.group(4));
        assertTrue(second.group(2).matches("\\d+\\.\\d+\\.\\d+.*"), second.group(2));
        assertTrue(second.group(5).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), second.group(5));
        // the second run starts where the first ended, and T never goes backwards in the file
        assertEquals(lastOfFirstRun, Long.parseLong(second.group(1)));
        assertLogTimeNeverGoesBack(log);
        assertTrue(log.stream().anyMatch(l -> l.endsWith("]: second run")), String.join("\n", log));
    }

    @Test
    void twoNodesOnOnePortWithDifferentAddressesKeepOneFileEach() throws IOException {
        int port = RingProcess.freePort();
        Path dir = tmp.resolve("shared");
        RingProcess one = add(RingProcess.start(dir, "one", "127.0.0.1", port, List.of("-l")));
        awaitStarted(one);
        RingProcess two = add(RingProcess.start(dir, "two", "127.0.0.2", port, List.of("-l")));
        awaitStarted(two);
        one.sendLine("from one");
        two.sendLine("from two");
        await().atMost(WAIT).until(() -> one.chatLines().size() == 1 && two.chatLines().size() == 1);
        one.closeStdin();
        two.closeStdin();
        assertEquals(0, one.waitFor(WAIT), one.describe());
        assertEquals(0, two.waitFor(WAIT), two.describe());

        // the usual name for the first, the address in the name for the second
        List<String> first = Files.readAllLines(dir.resolve("chat_" + port + ".log"));
        List<String> second = Files.readAllLines(dir.resolve("chat_127.0.0.2_" + port + ".log"));
        assertTrue(first.get(0).contains("one(127.0.0.1:" + port + ") started"), first.get(0));
        assertTrue(second.get(0).contains("two(127.0.0.2:" + port + ") started"), second.get(0));
        assertTrue(first.stream().anyMatch(l -> l.endsWith("]: from one")) && first.stream().noneMatch(l -> l.contains("two")));
        assertTrue(second.stream().anyMatch(l -> l.endsWith("]: from two")) && second.stream().noneMatch(l -> l.contains("one(")));

        // run again, the second first: each goes back to its own file
        RingProcess twoAgain = add(RingProcess.start(dir, "two", "127.0.0.2", port, List.of("-l")));
        awaitStarted(twoAgain);
        twoAgain.closeStdin();
        assertEquals(0, twoAgain.waitFor(WAIT), twoAgain.describe());
        assertEquals(first, Files.readAllLines(dir.resolve("chat_" + port + ".log")));
        assertEquals(2, Files.readAllLines(dir.resolve("chat_127.0.0.2_" + port + ".log")).stream()
                .filter(l -> HEADER.matcher(l).matches()).count());
    }

    @Test
    void logDirMovesTheLog() {
        int port = RingProcess.freePort();
        RingProcess alice = add(RingProcess.leader(tmp, "alice", port, "--log-dir", "logs/here"));
        awaitStarted(alice);
        alice.sendLine("hello");
        await().atMost(WAIT).until(() -> alice.chatLines().size() == 1);
        alice.closeStdin();
        assertEquals(0, alice.waitFor(WAIT), alice.describe());
        Path moved = tmp.resolve("alice/logs/here/chat_" + port + ".log");
        assertTrue(Files.exists(moved), alice.describe());
        assertFalse(Files.exists(alice.logFile()));
    }

    @Test
    void aLogThatCannotBeWrittenSaysWhyAndWhatToDo() throws IOException {
        int port = RingProcess.freePort();
        Files.createDirectories(tmp.resolve("alice"));
        Files.writeString(tmp.resolve("alice/not-a-dir"), "a file");
        RingProcess alice = add(RingProcess.leader(tmp, "alice", port, "--log-dir", "not-a-dir"));

        assertEquals(1, alice.waitFor(WAIT), alice.describe());
        Path path = tmp.resolve("alice/not-a-dir/chat_" + port + ".log").toAbsolutePath().normalize();
        assertEquals(List.of("error: cannot write the chat log " + path + ": Not a directory;"
                + " use --log-dir <dir> to put it in a directory you can write to"), alice.stderr(), alice.describe());
        assertEquals(List.of(), alice.stdout());
    }

    /** Starts alice as a leader in {@code dir}, sends {@code line}, leaves; the last T of her log. */
    private long runAndLeave(Path dir, int port, String line) throws IOException {
        RingProcess alice = add(RingProcess.start(dir, "alice", RingProcess.HOST, port, List.of("-l")));
        awaitStarted(alice);
        alice.sendLine(line);
        await().atMost(WAIT).until(() -> alice.chatLines().stream().anyMatch(l -> l.endsWith("]: " + line)));
        alice.closeStdin();
        assertEquals(0, alice.waitFor(WAIT), alice.describe());
        List<String> log = alice.logLines();
        Matcher last = RingProcess.LOGGED.matcher(log.get(log.size() - 1));
        assertTrue(last.matches(), log.toString());
        return Long.parseLong(last.group(1));
    }

    private static void awaitStarted(RingProcess p) {
        await().atMost(WAIT).untilAsserted(() -> assertTrue(
                p.stdout().stream().anyMatch(l -> l.startsWith("* started a new ring")), p.describe()));
    }

    private static void assertLogTimeNeverGoesBack(List<String> log) {
        long last = -1;
        for (String line : log) {
            Matcher m = RingProcess.LOGGED.matcher(line);
            assertTrue(m.matches(), line);
            long t = Long.parseLong(m.group(1));
            assertTrue(t >= last, "T went backwards at: " + line);
            last = t;
        }
    }
}
