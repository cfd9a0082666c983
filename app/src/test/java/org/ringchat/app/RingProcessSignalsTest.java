package org.ringchat.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link RingProcess#ignored}: how the end-to-end tests tell a stop signal that cannot arrive. */
class RingProcessSignalsTest {

    @Test
    void readsWhichSignalsAProcessInheritedIgnored() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "Linux's /proc only");
        // sh ignores HUP, then becomes sleep, which keeps it ignored, as a JVM would
        Process deaf = new ProcessBuilder("sh", "-c", "trap '' HUP; exec sleep 60").start();
        Process plain = new ProcessBuilder("sh", "-c", "exec sleep 60").start();
        try {
            // the trap is set before the exec: wait until each process is sleep
            for (Process p : new Process[] {deaf, plain}) {
                Path comm = Path.of("/proc", String.valueOf(p.pid()), "comm");
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(comm).trim().equals("sleep"));
            }
            assertTrue(RingProcess.ignored(deaf.pid(), 1), "HUP ignored");
            assertFalse(RingProcess.ignored(deaf.pid(), 2) && !RingProcess.ignored(ProcessHandle.current().pid(), 2),
                    "INT not ignored unless the tests' own JVM ignores it");
            assertFalse(RingProcess.ignored(plain.pid(), 1) && !RingProcess.ignored(ProcessHandle.current().pid(), 1),
                    "HUP not ignored unless the tests' own JVM ignores it");
        } finally {
            deaf.destroyForcibly();
            plain.destroyForcibly();
        }
    }
}
