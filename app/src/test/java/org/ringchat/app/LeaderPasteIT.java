package org.ringchat.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A bot (or a paste) pours thousands of lines into the leader's own stdin in pipe mode: every
 * member shows every one of them, once, in the order typed. Ordering used to stop for good
 * partway through such a burst.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LeaderPasteIT extends ProcessTest {

    static final Duration WAIT = Duration.ofSeconds(120);
    static final int LINES = 5000;

    @Test
    void thousandsOfLinesIntoTheLeadersStdinAreShownOnceInOrderByEveryone() {
        RingProcess alice = add(RingProcess.leader(tmp, "alice", RingProcess.freePort()));
        awaitLineStarting(alice, "* started a new ring");
        RingProcess bob = add(RingProcess.joiner(tmp, "bob", RingProcess.freePort(), alice.port()));
        RingProcess carol = add(RingProcess.joiner(tmp, "carol", RingProcess.freePort(), alice.port()));
        awaitLineStarting(bob, "* joined the ring");
        awaitLineStarting(carol, "* joined the ring");
        await().atMost(WAIT).untilAsserted(() ->
                assertTrue(alice.stdout().contains("* " + carol.display() + " joined")
                        && alice.stdout().contains("* " + bob.display() + " joined"), this::everyone));

        // the leader's stdin gets the whole burst as fast as the pipe takes it
        List<String> typed = new ArrayList<>();
        for (int i = 1; i <= LINES; i++) {
            typed.add("paste " + i);
            alice.sendLine("paste " + i);
        }

        // every member shows all of them, once each, in the order typed, with growing stamps
        await().atMost(WAIT).untilAsserted(() -> {
            for (RingProcess p : nodes) {
                assertEquals(LINES, p.chatLines().size(), () -> "chat lines at " + p + "\n" + everyone());
            }
        });
        List<String> order = alice.chatLines();
        for (RingProcess p : nodes) {
            assertEquals(order, p.chatLines(), () -> "order at " + p);
        }
        assertEquals(typed, order.stream().map(l -> l.substring(l.indexOf("]: ") + 3)).toList());
        await().atMost(WAIT).untilAsserted(() -> {
            for (RingProcess p : nodes) {
                assertEquals(p.chatLines(), p.loggedChatLines(), () -> "log of " + p);
            }
        });
        nodes.forEach(RingProcess::assertLogTimeNeverGoesBack);
    }

    private void awaitLineStarting(RingProcess p, String prefix) {
        await().atMost(WAIT).untilAsserted(() -> assertTrue(p.stdout().stream().anyMatch(l -> l.startsWith(prefix)),
                () -> "no line starting '" + prefix + "' from " + p + "\n" + everyone()));
    }

    private String everyone() {
        return nodes.stream().map(RingProcess::describe).collect(Collectors.joining());
    }
}
