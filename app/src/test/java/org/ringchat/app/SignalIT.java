package org.ringchat.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIGINT, SIGTERM and SIGHUP in pipe mode leave the ring gracefully, like end of input, and exit
 * 0; a second signal during the leave ends the process at once.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SignalIT extends ProcessTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT", "HUP"})
    void aStopSignalLeavesGracefullyAndExits0(String signal) {
        RingProcess alice = add(RingProcess.leader(tmp, "alice", RingProcess.freePort()));
        RingProcess bob = joined(alice);

        // bob is told to stop: he says goodbye, so alice sees him leave (not crash), and he exits 0
        bob.signal(signal);
        assertEquals(0, bob.waitFor(WAIT), bob.describe());
        await().atMost(WAIT).untilAsserted(() -> assertTrue(alice.stdout().contains("* " + bob.display() + " left"),
                alice.describe() + bob.describe()));
    }

    @Test
    void aSecondSignalDuringTheLeaveExitsAtOnce() {
        RingProcess alice = add(RingProcess.leader(tmp, "alice", RingProcess.freePort()));
        RingProcess bob = joined(alice);

        // the leader hangs, so bob's leave waits for an answer that does not come
        alice.signal("STOP");
        bob.signal("TERM");
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(bob::isAlive);

        // a second signal does not wait for the leave (which would end in exit 0): 128 + 15, as a
        // shell reports SIGTERM
        bob.signal("TERM");
        assertEquals(143, bob.waitFor(WAIT), bob.describe());
    }

    private RingProcess joined(RingProcess alice) {
        await().atMost(WAIT).until(() -> alice.stdout().stream().anyMatch(l -> l.startsWith("* started a new ring")));
        RingProcess bob = add(RingProcess.joiner(tmp, "bob", RingProcess.freePort(), alice.port()));
        await().atMost(WAIT).until(() -> alice.stdout().contains("* " + bob.display() + " joined"));
        await().atMost(WAIT).until(() -> bob.stdout().stream().anyMatch(l -> l.startsWith("* joined the ring")));
        return bob;
    }
}
