package org.ringchat.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Several lines pasted at once into pipe mode: each non-empty one is its own message, in order; none is refused. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PasteIT extends ProcessTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void severalLinesAtOnceAreSentOneByOneInOrder() {
        RingProcess alice = add(RingProcess.leader(tmp, "alice", RingProcess.freePort()));
        await().atMost(WAIT).until(() -> alice.stdout().stream().anyMatch(l -> l.startsWith("* started a new ring")));
        RingProcess bob = add(RingProcess.joiner(tmp, "bob", RingProcess.freePort(), alice.port()));
        await().atMost(WAIT).until(() -> bob.stdout().stream().anyMatch(l -> l.startsWith("* joined the ring")));

        // one write: three lines, an empty one among them, Windows line ends on one
        bob.sendLine("first line\nsecond line\r\n\nthird line");

        List<String> expected = List.of("first line", "second line", "third line");
        await().atMost(WAIT).untilAsserted(() -> assertEquals(expected, texts(alice), alice.describe()));
        await().atMost(WAIT).untilAsserted(() -> assertEquals(expected, texts(bob), bob.describe()));
        assertTrue(bob.stdout().stream().noneMatch(l -> l.contains("not sent")), bob.describe());
    }

    private static List<String> texts(RingProcess p) {
        return p.chatLines().stream().map(l -> l.substring(l.indexOf("]: ") + 3)).toList();
    }
}
