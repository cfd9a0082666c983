package org.ringchat.ring.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.ringchat.ring.RingEvent;
import org.ringchat.ring.TestNode;

/**
 * The merge of a split ring, through the real node code on the simulated network
 * ({@code docs/partitions.md}): the more senior piece absorbs the other, a name taken on both
 * sides is renamed and the renamed node told, each side is shown what the other said between
 * the merge's two lines, and the merged ring goes on as one. A member that goes over to the
 * other piece (removed, it rejoins there) is shown that piece's lines since the split, though
 * its own last number is its old piece's, and carries its old piece's lines over to that piece.
 * A member talking through the heal does not hold the merge up.
 */
class MergeTest {

    private final SimCluster cluster = new SimCluster(7);

    @Test
    void twoPiecesMergeAndEachIsShownTheOthersLinesOnce() {
        List<TestNode> ring = cluster.ring(4);
        TestNode n0 = ring.get(0);
        TestNode n2 = ring.get(2);
        List<TestNode> sideA = ring.subList(0, 2);
        List<TestNode> sideB = ring.subList(2, 4);
        split(sideA, sideB);
        // a newcomer on side B takes a name side A holds
        cluster.placeWith(cluster.started(), n2);
        TestNode clash = cluster.join("N0", n2);
        cluster.send(ring.get(1), "said on side A");
        cluster.send(ring.get(3), "said on side B");
        cluster.awaitUntil(() -> {
            sideA.forEach(n -> assertTrue(n.texts().contains("said on side A"), n::toString));
            sideB.forEach(n -> assertTrue(n.texts().contains("said on side B"), n::toString));
            assertTrue(clash.texts().contains("said on side B"), clash::toString);
        });

        cluster.heal();
        List<TestNode> all = List.of(ring.get(0), ring.get(1), ring.get(2), ring.get(3), clash);
        cluster.awaitUntil(() -> all.forEach(n -> {
            assertEquals(5, n.view().members().size(), n::toString);
            assertEquals("n0", n.view().leader().name(), n::toString);
            assertTrue(n.saw(RingEvent.Kind.MERGED, "ring whole again: 5 members, leader n0"), n::toString);
        }));
        // side B's newcomer is renamed, and told; the others hear of it
        assertEquals("N0-2", clash.view().self().name());
        assertTrue(clash.saw(RingEvent.Kind.MERGED, "your name N0 is taken in the merged ring: you are now N0-2"),
                clash::toString);
        assertTrue(n0.saw(RingEvent.Kind.MERGED, "from the other side is now N0-2"), n0::toString);
        // each side is shown the other's line once, framed
        sideA.forEach(n -> assertTrue(n.saw(RingEvent.Kind.MERGED, "while split from n2("), n::toString));
        sideB.forEach(n -> assertTrue(n.saw(RingEvent.Kind.MERGED, "while split from n0("), n::toString));
        all.forEach(n -> {
            assertTrue(n.texts().contains("said on side A") && n.texts().contains("said on side B"), n::toString);
            assertEquals(n.texts().stream().distinct().toList(), n.texts(), () -> n + " showed a line twice");
        });
        // and the merged ring chats as one
        cluster.send(clash, "one ring again");
        cluster.awaitUntil(() -> all.forEach(n -> assertTrue(n.texts().contains("one ring again"), n::toString)));

        // the renamed node hangs and is removed: it rejoins under the name it has now, which is
        // free, not under the one it was started with, which another member holds
        List<TestNode> others = List.of(ring.get(0), ring.get(1), ring.get(2), ring.get(3));
        cluster.pause(clash);
        cluster.awaitUntil(() -> others.forEach(n -> assertEquals(4, n.view().members().size(), n::toString)));
        cluster.resume(clash);
        cluster.awaitUntil(() -> all.forEach(n -> {
            assertEquals(5, n.view().members().size(), n::toString);
            assertTrue(n.view().members().stream().anyMatch(m -> m.name().equals("N0-2")), n::toString);
        }));
        assertTrue(clash.saw(RingEvent.Kind.REMOVED, "rejoining as N0-2"), clash::toString);
        cluster.send(clash, "back as N0-2");
        cluster.awaitUntil(() -> all.forEach(n -> assertTrue(n.texts().contains("back as N0-2"), n::toString)));
        assertEquals(0, cluster.handlerFailures());
    }

    @Test
    void aMemberThatWentOverIsShownTheOtherPiecesLinesSinceTheSplitAndCarriesItsOwnPiecesThere() {
        List<TestNode> ring = cluster.ring(4);
        TestNode n0 = ring.get(0);
        TestNode n1 = ring.get(1);
        TestNode n2 = ring.get(2);
        TestNode n3 = ring.get(3);
        // the ring splits; n0's piece numbers n1's line next, before it has given up on n2 and n3
        cluster.partition(List.of(List.of(n0, n1), List.of(n2, n3)));
        cluster.send(n1, "said on side A");
        cluster.awaitUntil(() -> assertTrue(n1.texts().contains("said on side A"), n1::toString));
        // n1 hangs, still holding the view with n2 and n3 in it, and the network moves it to their side
        cluster.pause(n1);
        cluster.partition(List.of(List.of(n0), List.of(n1, n2, n3)));
        // the other piece elects n2 and numbers its own line at the same place
        cluster.awaitUntil(() -> List.of(n2, n3).forEach(n -> assertEquals("n2", leaderOf(n), n::toString)));
        cluster.send(n3, "said on side B");
        cluster.awaitUntil(() -> assertTrue(n2.texts().contains("said on side B"), n2::toString));
        // n1 wakes, learns from n2 that it is out, and rejoins there: its last number is its old
        // piece's, and it is shown the line n2's piece numbered there all the same
        cluster.resume(n1);
        cluster.awaitUntil(() -> {
            assertEquals("n2", leaderOf(n1), n1::toString);
            assertTrue(n1.texts().contains("said on side B"), n1::toString);
        });
        // n0 stays cut off: the line its piece ordered since the split reaches n2's piece only
        // with n1, which hands it over to n2 as a piece of one; n2 merges it, shown framed
        cluster.awaitUntil(() -> List.of(n2, n3).forEach(n -> {
            assertTrue(n.texts().contains("said on side A"), n::toString);
            assertTrue(n.saw(RingEvent.Kind.MERGED, "while split from n1("), n::toString);
        }));
        // n1 then chats in its new ring as any member
        cluster.send(n1, "said after going over");
        cluster.awaitUntil(() -> List.of(n1, n2, n3).forEach(n -> assertTrue(n.texts().contains("said after going over"),
                n::toString)));
        List.of(n1, n2, n3).forEach(n -> assertEquals(n.texts().stream().distinct().toList(), n.texts(),
                () -> n + " showed a line twice"));
        assertEquals(0, cluster.handlerFailures());
    }

    @Test
    void theAbsorbingLeaderShowsWhatItsMembersAcknowledgeWhileItHoldsForTheMerge() {
        List<TestNode> ring = cluster.ring(4);
        TestNode n0 = ring.get(0);
        TestNode n1 = ring.get(1);
        List<TestNode> sideA = ring.subList(0, 2);
        List<TestNode> sideB = ring.subList(2, 4);
        split(sideA, sideB);
        cluster.send(ring.get(3), "said on side B");
        cluster.awaitUntil(() -> sideB.forEach(n -> assertTrue(n.texts().contains("said on side B"), n::toString)));
        // n1 talks on through the heal, and acknowledgements come late: whenever n2's handover
        // reaches n0, n0 has orderings no member has acknowledged yet. It holds its ordering for
        // the merge and shows them as they are acknowledged; were it to show nothing while it
        // holds, it would give every merge up, and merge only once n1 fell silent
        cluster.delay("ChatAck", 300);
        CompletableFuture<Void> talk = cluster.stream(n1, 150, 1, 100);
        cluster.heal();
        cluster.awaitUntil(() -> assertTrue(n0.saw(RingEvent.Kind.MERGED, "ring whole again: 4 members, leader n0"),
                n0::toString));
        assertFalse(talk.isDone(), "merged only once n1 fell silent");
        cluster.await(talk);
        cluster.awaitUntil(() -> ring.forEach(n -> {
            assertTrue(n.texts().contains("n1 149") && n.texts().contains("said on side B"), n::toString);
            assertEquals(n.texts().stream().distinct().toList(), n.texts(), () -> n + " showed a line twice");
        }));
        assertEquals(0, cluster.handlerFailures());
    }

    /** The ring splits in two pieces of two: each piece settles, side B led by its most senior member, n2. */
    private void split(List<TestNode> sideA, List<TestNode> sideB) {
        cluster.partition(List.of(sideA, sideB));
        cluster.awaitUntil(() -> {
            sideA.forEach(n -> assertEquals(2, n.view().members().size(), n::toString));
            sideB.forEach(n -> assertEquals(2, n.view().members().size(), n::toString));
        });
        cluster.awaitUntil(() -> sideB.forEach(n -> assertEquals("n2", leaderOf(n), n::toString)));
    }

    /** The name of the leader {@code n} follows, or null while it has none. */
    private static String leaderOf(TestNode n) {
        return n.view().leader() == null ? null : n.view().leader().name();
    }
}
