package org.ringchat.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The interactive console in a real pseudo-terminal ({@code script} from util-linux): while chat
 * lines arrive from another node, what the user is typing stays whole on the screen and in the
 * line sent, no diagnostic reaches the screen (it goes to the diagnostics file), and a bracketed
 * paste of several lines sends each as its own message.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ConsoleIT extends ProcessTest {

    /** The console shows when the leader ordered each line, {@code HH:MM}, before it. */
    private static final String CLOCK = "\\d\\d:\\d\\d ";


    static final Duration WAIT = Duration.ofSeconds(60);
    static final String TYPED = "hello world, typing while chat arrives";
    /** What only a diagnostic line would look like: a logback time stamp, a level, a stack trace. */
    static final Pattern DIAGNOSTIC = Pattern.compile(".*(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}|WARN|ERROR|Exception|\\tat ).*");

    private Process console;
    private final StringBuffer output = new StringBuffer();

    @AfterEach
    void closeConsole() {
        if (console != null) {
            console.descendants().forEach(ProcessHandle::destroyForcibly);
            console.destroyForcibly();
        }
    }

    @Test
    void typingIsNeverGarbledByArrivingLinesAndNoDiagnosticReachesTheScreen() throws Exception {
        RingProcess bob = add(RingProcess.leader(tmp, "bob", RingProcess.freePort()));
        await().atMost(WAIT).until(() -> bob.stdout().stream().anyMatch(l -> l.startsWith("* started a new ring")));
        int port = RingProcess.freePort();
        Path dir = Files.createDirectories(tmp.resolve("alice"));
        startConsole(dir, "alice", port, "-na 127.0.0.1 -np " + bob.port());
        String prompt = "> alice(127.0.0.1:" + port + "): ";
        awaitScreen("alice's prompt", rows -> last(rows).equals(prompt.stripTrailing()));

        // alice types one character at a time while bob's lines arrive in between; after each
        // line, the screen shows it whole, and below it the prompt with exactly what was typed
        for (int i = 0; i < TYPED.length(); i++) {
            type(TYPED.substring(i, i + 1));
            if (i % 3 == 0) {
                String line = "line " + i + " from bob";
                bob.sendLine(line);
                String typed = TYPED.substring(0, i + 1);
                awaitScreen("'" + line + "' above '" + typed + "'", rows -> rows.stream().anyMatch(r ->
                        r.matches(CLOCK + "> bob\\(127\\.0\\.0\\.1:" + bob.port() + "\\)\\[\\d+]: " + line))
                        && last(rows).equals((prompt + typed).stripTrailing()));
            }
            if (i == TYPED.length() / 2) {
                // a stranger sends alice garbage: a WARN, which must stay off the screen
                garbageTo(port);
                await().atMost(WAIT).until(() -> diagnostics(dir, port).contains("closing connection"));
            }
        }
        type("\r");

        // the line sent is exactly what was typed
        String sent = Pattern.quote("> alice(127.0.0.1:" + port + ")") + "\\[\\d+]: " + Pattern.quote(TYPED);
        await().atMost(WAIT).untilAsserted(() -> assertTrue(bob.stdout().stream().anyMatch(l -> l.matches(sent)),
                bob.describe()));
        awaitScreen("alice's own line", rows -> rows.stream().anyMatch(r -> r.matches(CLOCK + sent)));

        // a bracketed paste of two lines: two messages, in order
        type("\u001b[200~first pasted\nsecond pasted\u001b[201~\r");
        await().atMost(WAIT).untilAsserted(() -> assertEquals(List.of("first pasted", "second pasted"),
                bob.chatLines().stream().filter(l -> l.contains("pasted")).map(l -> l.substring(l.indexOf("]: ") + 3))
                        .toList(), bob.describe()));

        type("//exit\r");
        assertTrue(console.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "console still running\n" + screen());
        assertEquals(0, console.exitValue(), screen());

        // nothing on the screen but chat, `* ` lines and the prompt; the WARN is in the file
        for (String row : TerminalScreen.of(output.toString())) {
            assertTrue(row.isEmpty() || row.startsWith("> ") || row.matches(CLOCK + "> .*") || row.startsWith("* "),
                    "unexpected row: " + row + "\n" + screen());
            assertTrue(!DIAGNOSTIC.matcher(row).matches(), "diagnostic on the screen: " + row);
        }
        assertTrue(diagnostics(dir, port).contains("WARN"), diagnostics(dir, port));
    }

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM", "HUP"})
    void aStopSignalLeavesTheConsoleGracefullyAndExits0(String signal) throws Exception {
        int port = RingProcess.freePort();
        Path dir = Files.createDirectories(tmp.resolve("alice"));
        startConsole(dir, "alice", port, "-l");
        awaitScreen("alice's prompt", rows -> last(rows).equals("> alice(127.0.0.1:" + port + "):"));
        type("half a line");

        // the signal goes to the node's process itself, not to script
        ProcessHandle node = console.descendants().filter(p -> p.info().command().orElse("").endsWith("java"))
                .findFirst().orElseThrow();
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(node.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());

        assertTrue(console.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "console still running\n" + screen());
        assertEquals(0, console.exitValue(), screen()); // script -e exits with the node's code
        awaitScreen("the leave", rows -> rows.contains("* left the ring; it is closed"));
    }

    /** {@code ringchat.jar} (not in pipe mode) on the terminal of {@code script}, with {@code role}: -l, or -na/-np. */
    private void startConsole(Path dir, String name, int port, String role) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "stty cols 200 rows 50; exec " + java + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx128m"
                + " -jar " + RingProcess.jar() + " -a 127.0.0.1 -p " + port + " -n " + name + " " + role;
        ProcessBuilder pb = new ProcessBuilder("script", "-qfec", command, "/dev/null").directory(dir.toFile());
        pb.environment().put("TERM", "xterm");
        pb.redirectErrorStream(true);
        console = pb.start();
        Thread reader = new Thread(() -> {
            try (InputStream in = console.getInputStream()) {
                byte[] buffer = new byte[4096];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the console is gone
            }
        }, name + "-terminal");
        reader.setDaemon(true);
        reader.start();
    }

    private void type(String keys) {
        try {
            OutputStream keyboard = console.getOutputStream();
            keyboard.write(keys.getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitScreen(String what, java.util.function.Predicate<List<String>> shown) {
        await().atMost(WAIT).untilAsserted(() -> assertTrue(shown.test(TerminalScreen.of(output.toString())),
                "waiting for " + what + " on the screen:\n" + screen()));
    }

    private String screen() {
        return String.join("\n", TerminalScreen.of(output.toString()));
    }

    private static String last(List<String> rows) {
        for (int i = rows.size() - 1; i >= 0; i--) {
            if (!rows.get(i).isEmpty()) {
                return rows.get(i);
            }
        }
        return "";
    }

    /** A frame that is not JSON, to the node at {@code port}. */
    private static void garbageTo(int port) throws IOException {
        try (Socket s = new Socket(RingProcess.HOST, port)) {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            byte[] body = "{\"from\": nope".getBytes(StandardCharsets.UTF_8);
            out.writeInt(body.length);
            out.write(body);
            out.flush();
            s.setSoTimeout(30_000);
            s.getInputStream().read(); // until alice hangs up
        }
    }

    private static String diagnostics(Path dir, int port) throws IOException {
        Path file = dir.resolve("ringchat_" + port + ".diag.log");
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
