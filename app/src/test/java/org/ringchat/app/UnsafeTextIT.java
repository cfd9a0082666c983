package org.ringchat.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A member types what would act on a terminal: escape sequences (clear the screen, set the title,
 * move the cursor to fake a line), a bell, a C1 control, a bidi override and a zero-width space.
 * The other member's screen and chat log show all of it visibly, pass none of it through, and
 * chat goes on.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class UnsafeTextIT extends ProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void controlCharactersAndEscapesAreShownNeverPassedThrough() {
        RingProcess alice = add(RingProcess.leader(tmp, "alice", RingProcess.freePort()));
        await().atMost(WAIT).until(() -> alice.stdout().stream().anyMatch(l -> l.startsWith("* started a new ring")));
        RingProcess bob = add(RingProcess.joiner(tmp, "bob", RingProcess.freePort(), alice.port()));
        await().atMost(WAIT).until(() -> alice.stdout().contains("* " + bob.display() + " joined"));

        String attack = "\u001b[2J\u001b]0;pwned\u0007\u001b[1G> alice(127.0.0.1:" + alice.port() + ")[9]: fake"
                + " \u009b6n \u202eevil\u200b";
        bob.sendLine(attack);
        bob.sendLine("plain after the attack");
        await().atMost(WAIT).until(() -> alice.chatLines().stream().anyMatch(l -> l.endsWith("plain after the attack"))
                && alice.loggedChatLines().stream().anyMatch(l -> l.endsWith("plain after the attack")));

        String shown = alice.chatLines().stream().filter(l -> l.contains("pwned")).findFirst().orElseThrow();
        assertTrue(shown.startsWith("> " + bob.display() + "["), "the line is bob's, at the start: " + shown);
        assertTrue(shown.contains("\\x1b[2J\\x1b]0;pwned\\x07\\x1b[1G> alice("), shown);
        assertTrue(shown.contains("\\x9b6n \\u202eevil\\u200b"), shown);
        for (List<String> lines : List.of(alice.stdout(), alice.logLines(), bob.stdout(), bob.logLines())) {
            for (String line : lines) {
                assertTrue(line.codePoints().noneMatch(UnsafeTextIT::acts), "passed through raw: " + line);
            }
        }
    }

    /** What a terminal would act on, or a bidi or zero-width character that would hide what follows. */
    private static boolean acts(int c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x202e || c == 0x202d || c == 0x200b || c == 0x2066;
    }
}
