package org.ringchat.ring.example;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ringchat.ring.ChatMessage;
import org.ringchat.ring.LoopbackCluster;
import org.ringchat.ring.RingConfig;
import org.ringchat.ring.RingEvent;
import org.ringchat.ring.TestNode;

/** The README's embedding example runs against a real ring, and the README shows exactly its code. */
@Timeout(120)
class EmbeddingExampleTest {

    private static final Path EXAMPLE = Path.of("src/test/java/org/ringchat/ring/example/EmbeddingExample.java");
    private static final String SECTION = "## Embedding the ring";

    private final LoopbackCluster cluster = new LoopbackCluster();
    private final ExecutorService program = Executors.newSingleThreadExecutor();

    @AfterEach
    void close() {
        program.shutdownNow();
        cluster.close();
    }

    @Test
    void theExampleJoinsAnswersPingAndLeavesWhenToldBye() {
        // alice leads a ring with the library's default timing, as the example's own node has it
        TestNode alice = cluster.start(RingConfig.builder("alice").address("127.0.0.1", 0).build());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, UTF_8);

        // the example runs as a program would, on a thread of its own, joining through alice
        CompletableFuture<Void> bot = CompletableFuture.runAsync(() -> {
            try {
                EmbeddingExample.run(alice.address(), out);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, program);

        // it says hello once admitted, and knew the leader and both members by then
        cluster.awaitUntil(() -> assertTrue(alice.texts().contains("pingbot here: say ping"), alice.texts()::toString));
        assertTrue(printed.toString(UTF_8).contains("leader " + alice.view().self().display() + ", 2 members"),
                () -> printed.toString(UTF_8));

        // it answers a ping in the room the ping came from
        alice.node.joinRoom("ops");
        alice.node.send("ping");
        cluster.awaitUntil(() -> assertTrue(alice.texts().contains("pong to alice"), alice.texts()::toString));
        ChatMessage pong = alice.chats.stream().filter(m -> m.text().equals("pong to alice")).findFirst().orElseThrow();
        assertEquals("ops", pong.room());
        assertEquals("pingbot", pong.sender().name());

        // and leaves gracefully on bye: the program returns and the ring closes around it
        alice.node.send("bye");
        cluster.await(bot);
        cluster.awaitUntil(() -> assertEquals(1, alice.view().members().size(), () -> alice.view().toString()));
        assertTrue(alice.saw(RingEvent.Kind.LEFT, "pingbot"), () -> alice.events.snapshot().toString());
        assertEquals(0, alice.node.handlerFailures());
    }

    @Test
    void theReadmeShowsExactlyTheExamplesCode() throws IOException {
        List<String> expected = dedent(region(Files.readAllLines(EXAMPLE, UTF_8)));
        Path readme = Path.of("").toAbsolutePath().getParent().resolve("README.md");
        List<String> shown = javaBlockAfter(Files.readAllLines(readme, UTF_8), SECTION);
        assertEquals(String.join("\n", expected), String.join("\n", shown),
                "the Java block under \"" + SECTION + "\" in README.md must be the region between the README"
                        + " markers of " + EXAMPLE + ", less its indentation: copy one to the other");
    }

    /** The lines strictly between {@code // README begin} and {@code // README end}. */
    private static List<String> region(List<String> lines) {
        int begin = indexOf(lines, "// README begin", 0);
        int end = indexOf(lines, "// README end", begin);
        return lines.subList(begin + 1, end);
    }

    /** The lines of the first {@code ```java} block after the heading. */
    private static List<String> javaBlockAfter(List<String> lines, String heading) {
        int at = indexOf(lines, heading, 0);
        int open = indexOf(lines, "```java", at);
        int close = indexOf(lines, "```", open + 1);
        return lines.subList(open + 1, close);
    }

    private static int indexOf(List<String> lines, String trimmed, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).trim().equals(trimmed)) {
                return i;
            }
        }
        throw new AssertionError("no line \"" + trimmed + "\" after line " + (from + 1));
    }

    /** The lines less the indentation they all share; blank lines become empty. */
    private static List<String> dedent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            out.add(line.isBlank() ? "" : line.substring(indent));
        }
        return out;
    }
}
