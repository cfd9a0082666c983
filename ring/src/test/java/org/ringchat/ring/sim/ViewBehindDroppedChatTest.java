package org.ringchat.ring.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringchat.ring.RingView.Status;
import org.ringchat.ring.TestNode;

/**
 * A new leader catches a member up that lacks the lost leader's last line, and sends it the first
 * view right behind that line, on the same connection. On a path that drops every chat frame and
 * resets the connection, the line is dropped and the view goes with the reset; every resend of
 * the line on a new connection then met the same end, and the member, never told who leads, kept
 * electing for as long as the path did so (simulator seeds 371574 and 385559, where the others
 * then elected without the members that leader had readmitted, and numbered its places again).
 * A leader that loses a link sends its view again with the chat it resends, the two taking turns
 * to go first: the member follows it while the path still drops chat, and takes the line once
 * the path lets it through. And on a path that drops every view instead, chat still flows: with
 * the view always first, no line reached the members while views were dropped (seeds 37114,
 * 48662).
 */
class ViewBehindDroppedChatTest {

    private final SimCluster cluster = new SimCluster(23);

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void aMemberTakesTheNewLeadersViewThoughEveryChatFrameToItIsDropped() {
        List<TestNode> ring = cluster.ring(4);
        TestNode leader = ring.get(0);
        TestNode alice = ring.get(1); // the most senior survivor: she wins
        TestNode bob = ring.get(2);
        TestNode carol = ring.get(3);

        // bob's line reaches alice and bob, not carol: the leader's frames to her are held
        cluster.cut(leader, carol);
        cluster.send(bob, "bob's line");
        cluster.awaitUntil(() -> assertTrue(alice.texts().contains("bob's line"), alice::toString));
        assertTrue(!carol.texts().contains("bob's line"), carol::toString);

        // from now on every chat frame is dropped, and its connection reset; the leader crashes
        cluster.drop("ChatDeliver");
        cluster.crash(leader);
        cluster.healCut(leader, carol);

        // alice wins, catches carol up (the line, dropped) and sends her first view behind it
        List<TestNode> survivors = List.of(alice, bob, carol);
        cluster.awaitUntil(() -> survivors.forEach(n -> {
            assertEquals(Status.MEMBER, n.view().status(), n::toString);
            assertEquals("n1", n.view().leader().name(), n::toString);
            assertEquals(3, n.view().members().size(), n::toString);
        }));
        // once chat frames pass again, alice's resend of her last line shows carol her gap
        cluster.stopDropping("ChatDeliver");
        cluster.awaitUntil(() -> assertTrue(carol.texts().contains("bob's line"), carol::toString));
        assertEquals(List.of("bob's line"), carol.texts(), carol::toString);
        cluster.send(carol, "carol follows alice");
        cluster.awaitUntil(() -> survivors.forEach(n -> assertTrue(n.texts().contains("carol follows alice"), n::toString)));
    }

    @Test
    void chatFlowsWhileEveryViewFrameIsDropped() {
        List<TestNode> ring = cluster.ring(4);
        TestNode leader = ring.get(0);
        List<TestNode> members = ring.subList(1, 4);

        // every view is dropped from now on, and its connection reset: the join's change to the
        // members goes, and so does each view the leader sends again on their new connections
        cluster.drop("MembershipUpdate");
        TestNode dave = cluster.join("dave", leader);
        cluster.awaitUntil(() -> assertEquals(Status.MEMBER, dave.view().status(), dave::toString));
        for (int i = 1; i <= 20; i++) {
            cluster.send(ring.get(2), "line " + i);
        }
        cluster.awaitUntil(() -> ring.forEach(n -> assertTrue(n.texts().contains("line 20"), n::toString)));
        members.forEach(m -> assertEquals(4, m.view().members().size(), () -> m + " took the join's view"));

        cluster.stopDropping("MembershipUpdate");
        cluster.awaitUntil(() -> members.forEach(m -> assertEquals(5, m.view().members().size(), m::toString)));
        ring.forEach(n -> assertEquals(20, n.texts().size(), n::toString));
    }
}
