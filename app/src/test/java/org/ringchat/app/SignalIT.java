package org.ringchat.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SIGTERM in pipe mode leaves the ring gracefully, like end of input. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SignalIT extends ProcessTest {

    static final Duration WAIT = Duration.ofSeconds(30);


    @Test
    void sigtermLeavesGracefully() {
        RingProcess alice = RingProcess.leader(tmp, "alice", RingProcess.freePort());
        add(alice);
        await().atMost(WAIT).until(() -> alice.stdout().stream().anyMatch(l -> l.startsWith("* started a new ring")));
        RingProcess bob = RingProcess.joiner(tmp, "bob", RingProcess.freePort(), alice.port());
        add(bob);
        await().atMost(WAIT).until(() -> alice.stdout().contains("* " + bob.display() + " joined"));
        await().atMost(WAIT).until(() -> bob.stdout().stream().anyMatch(l -> l.startsWith("* joined the ring")));

        // bob is told to stop: he says goodbye, so alice sees him leave (not crash)
        bob.signal("TERM");
        assertNotNull(bob.waitFor(WAIT), bob.describe());
        await().atMost(WAIT).untilAsserted(() -> assertTrue(alice.stdout().contains("* " + bob.display() + " left"),
                alice.describe() + bob.describe()));
    }
}
