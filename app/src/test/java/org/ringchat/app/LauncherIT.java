package org.ringchat.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The launcher, {@code ./ringchat}, as the README's quick start runs it: its JVM flags
 * ({@code app/jvm.options}) start a node, it makes the class-data archive once for the jar, and the
 * nodes it starts load their classes from that archive, with nothing of the JVM's on stdout.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class LauncherIT extends ProcessTest {

    /**
     * Attempts at bob's join: on a loaded machine the leader can be too slow to greet a newcomer
     * within the ring's deadline for a peer's first word (750 ms), and the joiner gives up; what
     * this test is about is how the launcher starts a node, not that deadline.
     */
    private static final int JOIN_ATTEMPTS = 3;

    /**
     * Generous: the first start also makes the archive, a training run of the jar (about 5 s on a
     * quiet 2-core machine, 75 s on one with a load average of 30).
     */
    private static final Duration WAIT = Duration.ofMinutes(2);

    @Test
    void theLauncherStartsARingAndAJoinerFromItsClassDataArchive() throws IOException {
        // which classes came from where, through the launcher's variable for more JVM flags
        Path loaded = tmp.resolve("bob-classes.txt");
        Map<String, String> logClasses = Map.of("RINGCHAT_JAVA_OPTS", "-Xlog:class+load=info:file=" + loaded);

        RingProcess alice = add(RingProcess.launched(tmp, "alice", RingProcess.freePort(), Map.of(), "-l"));
        awaitFirstLine(alice, "* started a new ring at 127.0.0.1:" + alice.port());
        RingProcess bob = null;
        for (int attempt = 1; bob == null; attempt++) {
            bob = add(RingProcess.launched(tmp, "bob", RingProcess.freePort(), logClasses,
                    "-np", String.valueOf(alice.port())));
            await().atMost(WAIT).until(bob::hasOutput);
            if (bob.stdout().isEmpty() && attempt < JOIN_ATTEMPTS) {
                bob = null; // it gave up; see JOIN_ATTEMPTS
            }
        }
        awaitFirstLine(bob, "* joined the ring: 2 members, leader " + alice.display());

        List<String> classes = Files.readAllLines(loaded);
        assertTrue(classes.stream().anyMatch(l -> l.contains(" org.ringchat.app.Main source: shared objects file (top)")),
                "Main did not come from the archive:\n" + String.join("\n", classes.subList(0, Math.min(40, classes.size()))));

        // end of input: both leave and end well
        bob.closeStdin();
        alice.closeStdin();
        assertEquals(0, bob.waitFor(WAIT), bob.describe());
        assertEquals(0, alice.waitFor(WAIT), alice.describe());
    }

    /** Waits until the node's first line on stdout is there, and is {@code prefix...}: nothing else came before. */
    private static void awaitFirstLine(RingProcess p, String prefix) {
        await().atMost(WAIT).until(p::hasOutput);
        assertTrue(!p.stdout().isEmpty() && p.stdout().get(0).startsWith(prefix), p.describe());
    }
}
