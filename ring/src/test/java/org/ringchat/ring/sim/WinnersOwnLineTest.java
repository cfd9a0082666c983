package org.ringchat.ring.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringchat.ring.Cluster;
import org.ringchat.ring.RingEvent.Kind;
import org.ringchat.ring.RingView.Status;
import org.ringchat.ring.TestNode;

/**
 * A line given to the winner of an election while it catches the members up is ordered as its
 * first view goes out, and reaches the members ahead of that view: they take it from the leader
 * catching them up while they still elect, and acknowledge it to nobody. A leader shows its own
 * orderings once a member has acknowledged them: the winner showed its line only when a later one
 * was acknowledged, perhaps never. A member that adopts a new leader's first view acknowledges
 * what it holds.
 */
class WinnersOwnLineTest {

    private final SimCluster cluster = new SimCluster(19);

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void aLineGivenToTheWinnerDuringItsCatchUpIsShownThereToo() {
        List<TestNode> ring = cluster.ring(4);
        TestNode alice = ring.get(1); // the most senior survivor: she wins
        List<TestNode> survivors = ring.subList(1, 4);

        cluster.delay("SyncReply", 500); // the catch-up lasts long enough to type into
        cluster.crash(ring.get(0));
        cluster.awaitUntil(() -> assertTrue(alice.saw(Kind.ELECTION, "won the election"), alice::toString));
        cluster.send(alice, "alice, catching up");
        // her first view comes 50 ms after the line she orders with it
        cluster.delay("MembershipUpdate", 50); // (a view written as its change counts as the view)
        cluster.stopDelaying("SyncReply", 500);

        cluster.awaitUntil(() -> survivors.forEach(n -> {
            assertEquals(Status.MEMBER, n.view().status(), n::toString);
            assertEquals(alice.name, n.view().leader().name(), n::toString);
            assertTrue(n.texts().contains("alice, catching up"), () -> n + " shows " + n.texts());
        }));
        Cluster.assertSameHistory(survivors);
    }
}
