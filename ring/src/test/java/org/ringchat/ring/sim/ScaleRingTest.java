package org.ringchat.ring.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ringchat.ring.sim.ScaleRing.Node;

/**
 * {@link ScaleStudy}'s machinery on a small ring, in CI: a ring formed in bulk through
 * placeholders on the LAN model delivers a line to everyone, and after a leader crash the most
 * senior survivor leads and chat goes on. No timing is asserted: the study measures it.
 */
class ScaleRingTest {

    private static final int N = 20;

    @Test
    void aSmallRingFormedInBulkDeliversAndElectsANewLeader() {
        try (QuietLogs quiet = new QuietLogs()) {
            ScaleRing ring = new ScaleRing(1, Lan.GIGABIT_SWITCH);
            assertTrue(ring.form(N, 30_000), ring::problem);
            ring.runFor(500);
            assertNull(ring.problem());
            List<Node> nodes = ring.byRank();
            String line = ring.send(nodes.get(N - 1), "hello", 100);
            assertTrue(ring.runUntil(ring.nowUs() + 10_000_000, () -> ring.lines.get(line).delivered == N));

            ring.crash(nodes.get(0));
            String probe = ring.send(nodes.get(N - 1), "probe", 100);
            assertTrue(ring.runUntil(ring.nowUs() + 60_000_000,
                    () -> ring.leadersKnown == N - 1 && ring.lines.get(probe).delivered == N - 1), ring::problem);
            assertNull(ring.problem());
            // the most senior survivor leads
            assertEquals(nodes.get(1).address, nodes.get(N - 1).view().leader().address());
            assertEquals(List.of(), ring.problems);
        }
    }
}
