package org.ringchat.ring.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ringchat.ring.RingEvent;
import org.ringchat.ring.RingEvent.Kind;
import org.ringchat.ring.RingView.Status;
import org.ringchat.ring.TestNode;

/**
 * One member loses the leader on its own, behind a link on which nothing reaches it for seconds
 * (a stream that TCP backs off, LinkFaultIT's 20 % loss), and starts an election. The others,
 * which still hear the leader, ask it before they follow: it answers that it leads, the election
 * goes no further, and the member follows the leader again once it hears it. The ring keeps its
 * leader, its term and its members, and chat goes on. Likewise, a member that loses another
 * alone reports it, and the leader, which still hears that member, keeps it. The lone member's
 * user is told nothing of an election that nobody followed.
 */
class LostAloneTest {

    private final SimCluster cluster = new SimCluster(11);

    @Test
    void theOthersDoNotFollowTheElectionOfAMemberThatLostTheLeaderAlone() {
        List<TestNode> ring = cluster.ring(5);
        TestNode carol = ring.get(2);
        long term = carol.view().term();
        List<TestNode> others = ring.stream().filter(n -> n != carol).toList();

        // nothing from the leader reaches carol, and the witnesses' answers about it are lost:
        // she finds it gone, and her election goes to her previous, n1
        TestNode leader = ring.get(0);
        int carolsEventsBefore = carol.events.snapshot().size();
        cluster.cut(leader, carol);
        cluster.drop("ProbeResult");
        cluster.awaitUntil(() -> assertEquals(Status.ELECTING, carol.view().status(), carol::toString));
        // n1, which hears the leader, asks it first; it answers that it leads, and n1 goes no further
        cluster.awaitUntil(() -> assertTrue(ring.get(1).saw(Kind.ELECTION, "election goes no further"), ring.get(1)::toString));
        cluster.send(ring.get(3), "said while carol hears nobody");
        cluster.awaitUntil(() -> others.forEach(n -> assertTrue(n.texts().contains("said while carol hears nobody"), n::toString)));

        cluster.healCut(leader, carol);
        cluster.stopDropping("ProbeResult");
        cluster.awaitUntil(() -> {
            assertEquals(Status.MEMBER, carol.view().status(), carol.events.snapshot()::toString);
            assertTrue(carol.texts().contains("said while carol hears nobody"), () -> carol.lines() + "\n" + carol.events.snapshot());
        });
        assertTrue(carol.saw(Kind.ELECTION, "following it again"), carol::toString);
        // and her user was told nothing of it: no leader lost, no leader found
        List<RingEvent> shown = carol.events.snapshot().subList(carolsEventsBefore, carol.events.snapshot().size())
                .stream().filter(e -> e.kind().shown()).toList();
        assertEquals(List.of(), shown, carol::toString);
        ring.forEach(n -> {
            assertEquals("n0", n.view().leader().name(), n::toString);
            assertEquals(term, n.view().term(), n::toString);
            assertEquals(5, n.view().members().size(), n::toString);
        });
        others.forEach(n -> assertFalse(n.saw(Kind.ELECTION_STARTED, ""), () -> n + " left its leader"));
        cluster.send(carol, "carol follows n0 again");
        cluster.awaitUntil(() -> ring.forEach(n -> assertTrue(n.texts().contains("carol follows n0 again"), n::toString)));
    }

    @Test
    void theLeaderKeepsAMemberThatOneNeighbourLostWhileItHearsIt() {
        List<TestNode> ring = cluster.ring(5);
        TestNode leader = ring.get(0);
        TestNode carol = ring.get(2);
        TestNode dave = ring.get(3);

        // dave hears nothing from carol, and no check of her gets an answer through: he finds her
        // gone and reports her; the leader's own ping of her would fail as well
        cluster.cut(carol, dave);
        cluster.drop("ProbeResult");
        cluster.drop("Pong");
        cluster.awaitUntil(() -> assertTrue(leader.saw(Kind.SUSPECT, "its own watch decides"), leader::toString));
        cluster.send(carol, "carol is still here");
        cluster.awaitUntil(() -> ring.stream().filter(n -> n != dave)
                .forEach(n -> assertTrue(n.texts().contains("carol is still here"), n::toString)));
        cluster.healCut(carol, dave);
        cluster.stopDropping("ProbeResult");
        cluster.stopDropping("Pong");
        cluster.awaitUntil(() -> assertTrue(dave.texts().contains("carol is still here"), dave::toString));
        ring.forEach(n -> {
            assertEquals(5, n.view().members().size(), n::toString);
            assertFalse(n.saw(Kind.REPAIRED, ""), () -> n + " lost a member");
        });
    }

    @Test
    void aMemberSuspectedWronglyBeforeIsCheckedTwiceAndRemovedWhenItReallyHangs() {
        List<TestNode> ring = cluster.ring(5);
        TestNode leader = ring.get(0);
        TestNode carol = ring.get(2);

        // the leader hears nothing from carol for a while; the witnesses reach her: a wrong suspicion
        cluster.cut(carol, leader);
        cluster.awaitUntil(() -> assertTrue(leader.saw(Kind.SUSPECT, carol.name + "(" + carol.address() + ") answered; suspicion dropped"),
                () -> leader.events.snapshot().toString()));
        cluster.healCut(carol, leader);

        // now she hangs: one failed check is not enough for her, the second removes her
        cluster.pause(carol);
        cluster.awaitUntil(() -> assertEquals(4, leader.view().members().size(), leader::toString));
        assertTrue(leader.saw(Kind.SUSPECT, "suspected wrongly before; checking once more"), leader::toString);
    }

    @Test
    void aMemberRemovedWhilePausedIsShownWhatWasSaidMeanwhileWhenItRejoins() {
        List<TestNode> ring = cluster.ring(3);
        TestNode carol = ring.get(2);
        cluster.send(ring.get(1), "before carol's pause");
        cluster.awaitUntil(() -> ring.forEach(n -> assertTrue(n.texts().contains("before carol's pause"), n::toString)));

        // carol hangs and is removed; a line is said without her
        cluster.pause(carol);
        cluster.awaitUntil(() -> assertEquals(2, ring.get(0).view().members().size(), ring.get(0)::toString));
        cluster.send(ring.get(1), "while carol was away");
        cluster.awaitUntil(() -> assertTrue(ring.get(0).texts().contains("while carol was away"), ring.get(0)::toString));

        // she wakes, finds herself removed and rejoins: the line is shown to her then, with no
        // later line to reveal a gap, and once
        cluster.resume(carol);
        cluster.awaitUntil(() -> {
            assertTrue(carol.saw(Kind.REMOVED, "rejoining as n2"), carol::toString);
            assertEquals(Status.MEMBER, carol.view().status(), carol::toString);
            assertTrue(carol.texts().contains("while carol was away"), () -> carol.lines().toString());
        });
        assertEquals(carol.texts().stream().distinct().toList(), carol.texts(), () -> carol + " showed a line twice");
    }
}
