package org.ringchat.ring.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringchat.ring.Cluster;
import org.ringchat.ring.RingEvent.Kind;
import org.ringchat.ring.RingView.Status;
import org.ringchat.ring.TestNode;

/**
 * A leader admits a member and orders its first line, and dies while the view change that
 * admitted it still travels to the others, with the line behind it. The others elect without the
 * newcomer, which they do not know; the view reaches the winner during its catch-up. The winner
 * asks the newcomer too, and takes it into its first view with the line only it holds. Before,
 * the winner ignored a view of the term it was replacing, numbered that place again, and the
 * newcomer, left out, had shown its own line there (simulator seed 138775).
 *
 * <p>And a line given to the winner while it catches the members up is shown there too: ordered
 * as the first view went out, it reached the members just before that view, while they still
 * elected, and they acknowledged it to nobody; the leader shows its own orderings only once a
 * member has acknowledged them.
 */
class LateJoinerTest {

    private final SimCluster cluster = new SimCluster(17);

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void aWinnerAsksTheMemberThatTheLostLeaderAdmittedInAViewThatCameLate() {
        List<TestNode> ring = cluster.ring(4);
        TestNode leader = ring.get(0);
        TestNode alice = ring.get(1); // the most senior survivor: she wins
        TestNode bob = ring.get(2);
        List<TestNode> members = ring.subList(1, 4);

        // bob's line reaches the members 300 ms late, and what the leader sends them after it
        // waits behind it (their own links to the leader carry nothing of it: they find it
        // crashed at once); dave, admitted meanwhile on a link of his own, has it all at once
        cluster.delay("ChatDeliver", 300);
        cluster.send(bob, "bob's line");
        cluster.runFor(20);
        cluster.stopDelaying("ChatDeliver", 300);
        TestNode dave = cluster.join("dave", leader);
        cluster.awaitUntil(() -> assertEquals(Status.MEMBER, dave.view().status(), dave::toString));
        cluster.send(dave, "dave's first line");
        cluster.awaitUntil(() -> assertTrue(dave.texts().contains("dave's first line"), dave::toString));
        members.forEach(m -> assertEquals(4, m.view().members().size(), () -> m + " knew dave already"));

        // the catch-up's answers take 500 ms: the view that admitted dave reaches alice during it
        cluster.delay("SyncReply", 500);
        cluster.crash(leader);
        cluster.awaitUntil(() -> assertTrue(alice.saw(Kind.ELECTION, "won the election"), alice::toString));
        cluster.send(alice, "alice, catching up");
        cluster.stopDelaying("SyncReply", 500);

        List<TestNode> survivors = new ArrayList<>(members);
        survivors.add(dave);
        cluster.awaitUntil(() -> survivors.forEach(n -> {
            assertEquals(Status.MEMBER, n.view().status(), n::toString);
            assertEquals(4, n.view().members().size(), n::toString);
            assertEquals(alice.name, n.view().leader().name(), n::toString);
            assertTrue(n.texts().contains("bob's line"), () -> n + " shows " + n.texts());
            assertTrue(n.texts().contains("dave's first line"), () -> n + " shows " + n.texts());
            assertTrue(n.texts().contains("alice, catching up"), () -> n + " shows " + n.texts());
        }));
        Cluster.assertSameHistory(survivors);
        survivors.forEach(n -> assertEquals(n.texts().stream().distinct().toList(), n.texts(), () -> n + " showed a line twice"));
    }
}
