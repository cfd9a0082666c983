package org.ringchat.ring.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringchat.ring.RingView.Status;
import org.ringchat.ring.TestNode;

/**
 * A leader's last orderings can reach its members after they found it gone: they wait on its
 * streams behind a slow frame, while its closed links and refused reconnects come at once. The
 * members, electing by then, took chat from nobody and dropped them; a member that still followed
 * that leader (asleep through the election) showed them when it woke, and the winner numbered the
 * same lines again with its own stamps: one place, two lines (simulator seeds 102172 and 90219).
 * An electing member takes the lost leader's next ordering until a winner's catch-up reaches it.
 */
class LateOrderingTest {

    private final SimCluster cluster = new SimCluster(31);

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void theLostLeadersLastOrderingComingLateIsTheRingsToo() {
        List<TestNode> ring = cluster.ring(4);
        TestNode leader = ring.get(0);
        TestNode alice = ring.get(1);
        TestNode bob = ring.get(2);
        TestNode carol = ring.get(3);

        // carol sleeps, still following the leader; the leader's fan-out is slow on its streams
        cluster.pause(carol);
        cluster.delay("ChatDeliver", 300);
        cluster.send(alice, "late line");
        cluster.runFor(50); // the leader has ordered it; its frames wait behind the delay
        cluster.leave(leader);

        // alice and bob find the leader gone at once, elect, and still take its last ordering
        cluster.awaitUntil(() -> List.of(alice, bob).forEach(n -> {
            assertEquals(Status.MEMBER, n.view().status(), n::toString);
            assertNotEquals(leader.name, n.view().leader().name(), n::toString);
            assertEquals(List.of("late line"), n.texts(), n::toString);
        }));
        cluster.stopDelaying("ChatDeliver", 300);

        // carol wakes to the leader's ordering and its goodbye, and joins the others
        cluster.resume(carol);
        cluster.awaitUntil(() -> {
            assertEquals(Status.MEMBER, carol.view().status(), carol::toString);
            assertEquals(alice.view().leader(), carol.view().leader(), carol::toString);
            assertEquals(List.of("late line"), carol.texts(), carol::toString);
        });
        // one line at one place, with the lost leader's stamp, everywhere
        assertEquals(alice.lines(), bob.lines());
        assertEquals(alice.lines(), carol.lines());
    }
}
