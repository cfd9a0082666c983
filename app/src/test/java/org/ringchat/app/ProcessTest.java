package org.ringchat.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end tests that start ringchat processes: each test gets a directory, and every process it starts is ended. */
abstract class ProcessTest {

    @TempDir
    Path tmp;

    /** Every process this test started, in order. */
    final List<RingProcess> nodes = new ArrayList<>();

    /** Registers a process for the teardown and returns it. */
    RingProcess add(RingProcess process) {
        nodes.add(process);
        return process;
    }

    @AfterEach
    void destroyAll() {
        for (RingProcess p : nodes) {
            if (!p.isAlive()) {
                continue; // exited or killed by the test: kill(1) would only print "No such process"
            }
            try {
                p.signal("CONT"); // a stopped process cannot act on SIGTERM; waking it first is tidy
            } catch (RuntimeException e) {
                // gone meanwhile
            }
        }
        nodes.forEach(RingProcess::destroy);
    }
}
