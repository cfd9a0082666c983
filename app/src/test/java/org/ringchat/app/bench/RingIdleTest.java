package org.ringchat.app.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link Ring#idle}: the bench faults a ring only once no member's process is busy. */
class RingIdleTest {

    /** Long enough for any of these tests; the processes are ended at the test's end in any case. */
    private static final String LIFETIME_S = "120";

    @Test
    void processesThatSleepAreIdleWithinAWindowOrTwo() throws Exception {
        Process sleeping = new ProcessBuilder("sleep", LIFETIME_S).start();
        Process alsoSleeping = new ProcessBuilder("sleep", LIFETIME_S).start();
        try {
            // generous: a loaded machine may take a while to run the two processes' exec
            assertTrue(Ring.idle(pids(sleeping, alsoSleeping), 30_000));
        } finally {
            end(sleeping, alsoSleeping);
        }
    }

    @Test
    void oneBusyProcessKeepsTheWholeSetFromIdleUntilTheTimeout() throws Exception {
        Process sleeping = new ProcessBuilder("sleep", LIFETIME_S).start();
        Process spinning = spinner();
        try {
            long started = System.nanoTime();
            assertFalse(Ring.idle(pids(sleeping, spinning), 1_000));
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) >= 1_000);
        } finally {
            end(sleeping, spinning);
        }
    }

    /**
     * A shell counting with its builtins alone, on a core for half a minute or so: far more than a tick
     * of CPU in every window, and over by itself should this test's JVM die before ending it.
     */
    private static Process spinner() throws IOException {
        return new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 30000000 ]; do i=$((i + 1)); done").start();
    }

    private static Set<Long> pids(Process... processes) {
        Set<Long> pids = new TreeSet<>();
        for (Process p : processes) {
            pids.add(p.pid());
        }
        return pids;
    }

    private static void end(Process... processes) throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
