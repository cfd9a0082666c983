package org.ringchat.ring.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringchat.ring.RingEvent.Kind;
import org.ringchat.ring.RingView.Status;
import org.ringchat.ring.TestNode;

/**
 * A leader back from a pause may take another piece of its ring for the ring that replaced it
 * while it slept, and join that one again. The member that was paused with it still takes it for
 * its leader. The leader's goodbye tells it otherwise: it elects, hears from the other ring that it
 * is out of it too, and joins it, at once. Before, it followed the joiner until it found it silent,
 * then (the other ring paused as well) elected itself and numbered lines the other ring had
 * numbered already (simulator seed 48058).
 */
class LeftBehindTest {

    private final SimCluster cluster = new SimCluster(5);

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void theMemberOfALeaderThatWentOverToAnotherRingFollowsItOut() {
        List<TestNode> ring = cluster.ring(3);
        TestNode leader = ring.get(0);
        TestNode bob = ring.get(1);
        TestNode carol = ring.get(2);

        // the leader and bob hang together: carol takes both for gone and leads a ring of her own
        cluster.pause(leader);
        cluster.pause(bob);
        cluster.awaitUntil(() -> {
            assertEquals(carol.name, carol.view().leader().name(), carol::toString);
            assertEquals(1, carol.view().members().size(), carol::toString);
        });
        cluster.send(carol, "carol alone");
        cluster.awaitUntil(() -> assertTrue(carol.texts().contains("carol alone"), carol::toString));

        // they wake; bob's confirmation is lost, so the leader takes carol's ring for the one that
        // replaced it and joins it again; a join takes two seconds here (carol would otherwise admit
        // it at once, and it would tell bob he is out as a member of her ring)
        cluster.drop("Pong");
        cluster.delay("JoinRequest", 2000);
        cluster.resume(leader);
        cluster.resume(bob);
        cluster.awaitUntil(() -> assertTrue(leader.saw(Kind.REMOVED, "rejoining as " + leader.name), leader::toString));
        cluster.stopDropping("Pong");

        // the leader said goodbye to bob, who elects, and carol tells him he is out of her ring
        long removedAt = cluster.nowMs();
        cluster.awaitUntil(() -> assertTrue(bob.saw(Kind.REMOVED, "rejoining as " + bob.name), bob::toString));
        assertTrue(cluster.nowMs() - removedAt < 1000, () -> "bob followed a joiner for " + (cluster.nowMs() - removedAt)
                + " ms, as long as its silence takes to be suspected");

        cluster.send(bob, "bob after the pause");
        cluster.awaitUntil(() -> ring.forEach(n -> {
            assertEquals(Status.MEMBER, n.view().status(), n::toString);
            assertEquals(3, n.view().members().size(), n::toString);
            assertTrue(n.texts().contains("carol alone"), n::toString);
            assertTrue(n.texts().contains("bob after the pause"), n::toString);
        }));
        ring.forEach(n -> assertEquals(n.texts().stream().distinct().toList(), n.texts(), () -> n + " showed a line twice"));
        assertFalse(bob.saw(Kind.LEADER, "leader: " + bob.name), () -> bob + " led a ring of its own");
    }
}
