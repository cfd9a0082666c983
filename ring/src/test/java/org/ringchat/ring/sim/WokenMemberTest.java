package org.ringchat.ring.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringchat.ring.Cluster;
import org.ringchat.ring.RingView.Status;
import org.ringchat.ring.TestNode;

/**
 * A member that sleeps through a leader change reads first, when it wakes, what waited in its
 * socket: the crashed leader's last ordering among it, which nobody else took, and which the new
 * leader numbered again, with another stamp, when its sender submitted it again. Shown as read,
 * the woken member held that place with the old stamp (simulator seed 90219). A member woken from
 * a pause long enough to be replaced holds its leader's orderings until that leader answers that
 * it still leads; a crashed one does not, and the new ring's numbering is the one shown.
 */
class WokenMemberTest {

    private final SimCluster cluster = new SimCluster(29);

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void aMemberWokenAfterALeaderChangeShowsTheNewLeadersNumberingNotTheCrashedOnes() {
        List<TestNode> ring = cluster.ring(4);
        TestNode leader = ring.get(0);
        TestNode alice = ring.get(1); // the most senior survivor: she wins
        TestNode bob = ring.get(2);
        TestNode carol = ring.get(3);
        List<TestNode> survivors = List.of(alice, bob, carol);

        // the leader's next ordering reaches only carol's socket, and carol sleeps
        cluster.pause(carol);
        cluster.cut(leader, alice);
        cluster.cut(leader, bob);
        cluster.send(alice, "said once");
        cluster.runFor(100);
        cluster.crash(leader);

        // alice wins and numbers her line again, when she submits it to herself
        cluster.awaitUntil(() -> List.of(alice, bob).forEach(n -> {
            assertEquals(Status.MEMBER, n.view().status(), n::toString);
            assertEquals(alice.name, n.view().leader().name(), n::toString);
            assertTrue(n.texts().contains("said once"), n::toString);
        }));

        cluster.resume(carol);
        cluster.send(alice, "after the wake");
        cluster.awaitUntil(() -> survivors.forEach(n -> {
            assertEquals(Status.MEMBER, n.view().status(), n::toString);
            assertEquals(3, n.view().members().size(), n::toString);
            assertTrue(n.texts().contains("after the wake"), n::toString);
        }));
        survivors.forEach(n -> assertEquals(1, n.texts().stream().filter("said once"::equals).count(), n::toString));
        Cluster.assertSameHistory(survivors);
    }
}
